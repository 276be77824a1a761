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

# fail
source "$(dirname "${BASH_SOURCE[0]}")/tool-install.sh"

SQUID=/usr/sbin/squid

if [[ -x "${SQUID}" ]] && "${SQUID}" -v >/dev/null 2>&1; then
  echo "squid already installed at ${SQUID}: $("${SQUID}" -v 2>&1 | head -n 1)"
  exit 0
fi

command -v apt-get >/dev/null 2>&1 || fail "apt-get is required (Debian/Ubuntu) to install the squid package"
[[ "$(id -u)" == "0" ]] || fail "squid is not installed and installing it needs root: sudo apt-get install -y squid (or run this script as root)"

WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/sieve-squid.XXXXXX")"
POLICY=/usr/sbin/policy-rc.d
OWN_POLICY=0
cleanup() {
  if [[ "${OWN_POLICY}" == "1" ]]; then rm -f "${POLICY}"; fi
  rm -rf "${WORK_DIR}"
}
trap cleanup EXIT
if [[ ! -e "${POLICY}" ]]; then
  printf '#!/bin/sh\n# written by sieve install-squid.sh for the duration of apt-get install\nexit 101\n' > "${POLICY}"
  chmod +x "${POLICY}"
  OWN_POLICY=1
fi

install_squid() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends squid >"${WORK_DIR}/apt.log" 2>&1
}

echo "Installing Debian's squid package with apt-get ..."
if ! install_squid; then
  # A fresh machine may have no package lists yet.
  echo "apt-get install failed; running apt-get update once and retrying ..."
  apt-get update >"${WORK_DIR}/update.log" 2>&1 || { cat "${WORK_DIR}/update.log" >&2; fail "apt-get update failed"; }
  install_squid || { cat "${WORK_DIR}/apt.log" >&2; fail "apt-get install squid failed"; }
fi

[[ -x "${SQUID}" ]] || fail "the squid package left no ${SQUID}"
VERSION="$("${SQUID}" -v 2>&1 | head -n 1)" || fail "installed ${SQUID} does not run: ${VERSION}"
echo "squid installed at ${SQUID}: ${VERSION}"
