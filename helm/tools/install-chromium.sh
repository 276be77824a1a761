#!/usr/bin/env bash
# Installs headless Chromium and its WebDriver (Debian's `chromium` and `chromium-driver` packages)
# for the annotation app's browser tests (annotate/src/test/java/dev/sieve/annotate/AnnotationBrowserTest.java),
# which drive /usr/bin/chromium through /usr/bin/chromedriver with Selenium (Selenium Manager is never
# asked to download a browser: nothing is downloadable here). ./sieve test runs it.
#
# Needs root (CI runs as root): Chromium needs dozens of shared libraries that only the package's
# dependencies bring in. Idempotent. Without them the browser tests fail and say what to run.
set -euo pipefail

# fail, require_apt, require_root, make_work_dir, apt_install
source "$(dirname "${BASH_SOURCE[0]}")/tool-install.sh"

if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
  echo "chromium already installed: $(/usr/bin/chromedriver --version 2>/dev/null | head -n 1)"
  exit 0
fi
require_apt "install chromium and chromium-driver"
require_root "chromium is not installed and installing it needs root: sudo apt-get install -y chromium chromium-driver"

make_work_dir chromium
echo "Installing Debian's chromium and chromium-driver packages with apt-get ..."
apt_install chromium chromium-driver
[[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] || fail "the packages left no /usr/bin/chromium or /usr/bin/chromedriver"
echo "chromium installed: $(/usr/bin/chromedriver --version 2>/dev/null | head -n 1)"
