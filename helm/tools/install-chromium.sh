#!/usr/bin/env bash
# Installs headless Chromium and its WebDriver (Debian's `chromium` and `chromium-driver` packages)
# for the annotation app's browser tests (annotate/src/test/java/dev/sieve/annotate/AnnotationBrowserTest.java),
# which drive /usr/bin/chromium through /usr/bin/chromedriver with Selenium (Selenium Manager is never
# asked to download a browser: nothing is downloadable here). ./sieve test runs it.
#
# Needs root (CI runs as root): Chromium needs dozens of shared libraries that only the package's
# dependencies bring in. Idempotent. Without them the browser tests fail and say what to run.
set -euo pipefail

# fail
source "$(dirname "${BASH_SOURCE[0]}")/tool-install.sh"

if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
  echo "chromium already installed: $(/usr/bin/chromedriver --version 2>/dev/null | head -n 1)"
  exit 0
fi
command -v apt-get >/dev/null 2>&1 || fail "apt-get is required (Debian/Ubuntu) to install chromium and chromium-driver"
[[ "$(id -u)" == "0" ]] || fail "chromium is not installed and installing it needs root: sudo apt-get install -y chromium chromium-driver"

WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/sieve-chromium.XXXXXX")"
trap 'rm -rf "${WORK_DIR}"' EXIT
install_chromium() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver >"${WORK_DIR}/apt.log" 2>&1
}
echo "Installing Debian's chromium and chromium-driver packages with apt-get ..."
if ! install_chromium; then
  echo "apt-get install failed; running apt-get update once and retrying ..."
  apt-get update >"${WORK_DIR}/update.log" 2>&1 || { cat "${WORK_DIR}/update.log" >&2; fail "apt-get update failed"; }
  install_chromium || { cat "${WORK_DIR}/apt.log" >&2; fail "apt-get install chromium chromium-driver failed"; }
fi
[[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] || fail "the packages left no /usr/bin/chromium or /usr/bin/chromedriver"
echo "chromium installed: $(/usr/bin/chromedriver --version 2>/dev/null | head -n 1)"
