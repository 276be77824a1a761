#!/usr/bin/env bash
# Installs promtool (from Debian's `prometheus` package) into <repo>/.tools/prometheus/bin/promtool,
# for the test that runs `promtool check metrics` on every service's /metrics output
# (helm/src/test/java/dev/sieve/helm/ServiceImagesTest.java).
#
# Why this way: `apt-get install prometheus` would also install and start a Prometheus server (the
# package's postinst starts the service) and pull in its web UI's dependencies. The test needs only
# the promtool binary (statically built Go, needs only libc), so the package is downloaded with
# `apt-get download` and unpacked with `dpkg-deb -x`; nothing is installed system-wide.
#
# Idempotent: when <repo>/.tools/prometheus/bin/promtool runs, the script only prints its version.
# A promtool already on PATH is not used by the test unless SIEVE_PROMTOOL points at it.
# Overrides: SIEVE_TOOLS_DIR (default <repo>/.tools).
set -euo pipefail

# fail, TOOLS_DIR, install_binary, require_apt, make_work_dir, apt_download
source "$(dirname "${BASH_SOURCE[0]}")/tool-install.sh"

PROMTOOL="${TOOLS_DIR}/prometheus/bin/promtool"

if [[ -x "${PROMTOOL}" ]] && "${PROMTOOL}" --version >/dev/null 2>&1; then
  echo "promtool already installed at ${PROMTOOL}: $("${PROMTOOL}" --version 2>&1 | head -n 1)"
  exit 0
fi

require_apt "fetch the prometheus package"
command -v dpkg-deb >/dev/null 2>&1 || fail "dpkg-deb is required to unpack the prometheus package"

make_work_dir promtool
echo "Fetching Debian's prometheus package (for promtool) with apt-get download ..."
apt_download prometheus

DEB="$(find "${WORK_DIR}" -maxdepth 1 -name 'prometheus_*.deb' -print -quit)"
[[ -n "${DEB}" ]] || fail "apt-get download left no prometheus_*.deb"
dpkg-deb -x "${DEB}" "${WORK_DIR}/root" || fail "could not unpack ${DEB}"
[[ -x "${WORK_DIR}/root/usr/bin/promtool" ]] || fail "no usr/bin/promtool inside ${DEB}"

install_binary "${WORK_DIR}/root/usr/bin/promtool" "${PROMTOOL}"

VERSION="$("${PROMTOOL}" --version 2>&1 | head -n 1)" || fail "installed ${PROMTOOL} does not run: ${VERSION}"
echo "promtool installed at ${PROMTOOL}: ${VERSION} (from $(basename "${DEB}"))"
