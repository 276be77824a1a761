#!/usr/bin/env bash
# Installs Squid (Debian's `squid` package) for the test that puts Sieve's ICAP adapter behind a real
# proxy (cli/src/test/java/dev/sieve/cli/fleet/SquidIcapEndToEndTest.java). ./sieve test runs it.
#
# Why a system install (unlike promtool, which is unpacked into .tools/): squid links against a dozen
# shared libraries (libecap, libltdl, Kerberos, ...) that only the package's dependencies bring in.
# The package's postinst would start a Squid service on port 3128; a temporary policy-rc.d (the
# Debian mechanism for "do not start services from package scripts") prevents that, and is removed
# again. Needs root (CI runs as root); without root and without squid it says what to run.
#
# Idempotent: when /usr/sbin/squid runs, the script only prints its version.
# The test finds squid at SIEVE_SQUID, else /usr/sbin/squid, else on PATH; a missing squid fails it.
set -euo pipefail

# fail, require_apt, require_root, make_work_dir, block_service_starts, apt_install
source "$(dirname "${BASH_SOURCE[0]}")/tool-install.sh"

SQUID=/usr/sbin/squid

if [[ -x "${SQUID}" ]] && "${SQUID}" -v >/dev/null 2>&1; then
  echo "squid already installed at ${SQUID}: $("${SQUID}" -v 2>&1 | head -n 1)"
  exit 0
fi

require_apt "install the squid package"
require_root "squid is not installed and installing it needs root: sudo apt-get install -y squid (or run this script as root)"

make_work_dir squid
block_service_starts
echo "Installing Debian's squid package with apt-get ..."
apt_install squid

[[ -x "${SQUID}" ]] || fail "the squid package left no ${SQUID}"
VERSION="$("${SQUID}" -v 2>&1 | head -n 1)" || fail "installed ${SQUID} does not run: ${VERSION}"
echo "squid installed at ${SQUID}: ${VERSION}"
