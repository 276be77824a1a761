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

# fail, TOOLS_DIR, install_binary
source "$(dirname "${BASH_SOURCE[0]}")/tool-install.sh"

PROMTOOL="${TOOLS_DIR}/prometheus/bin/promtool"

if [[ -x "${PROMTOOL}" ]] && "${PROMTOOL}" --version >/dev/null 2>&1; then
  echo "promtool already installed at ${PROMTOOL}: $("${PROMTOOL}" --version 2>&1 | head -n 1)"
  exit 0
fi

command -v apt-get >/dev/null 2>&1 || fail "apt-get is required (Debian/Ubuntu) to fetch the prometheus package"
command -v dpkg-deb >/dev/null 2>&1 || fail "dpkg-deb is required to unpack the prometheus package"

WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/sieve-promtool.XXXXXX")"
trap 'rm -rf "${WORK_DIR}"' EXIT
# apt-get download drops privileges to _apt where it can; let it write here.
chmod 0777 "${WORK_DIR}"

echo "Fetching Debian's prometheus package (for promtool) with apt-get download ..."
if ! (cd "${WORK_DIR}" && apt-get download prometheus >"${WORK_DIR}/apt.log" 2>&1); then
  # A fresh machine may have no package lists yet.
  if [[ "$(id -u)" == "0" ]]; then
    echo "apt-get download failed; running apt-get update once and retrying ..."
    apt-get update >"${WORK_DIR}/update.log" 2>&1 || { cat "${WORK_DIR}/update.log" >&2; fail "apt-get update failed"; }
    (cd "${WORK_DIR}" && apt-get download prometheus >"${WORK_DIR}/apt.log" 2>&1) \
      || { cat "${WORK_DIR}/apt.log" >&2; fail "apt-get download prometheus failed"; }
  else
    cat "${WORK_DIR}/apt.log" >&2
    fail "apt-get download prometheus failed (run apt-get update as root first?)"
  fi
fi

DEB="$(find "${WORK_DIR}" -maxdepth 1 -name 'prometheus_*.deb' -print -quit)"
[[ -n "${DEB}" ]] || fail "apt-get download left no prometheus_*.deb"
dpkg-deb -x "${DEB}" "${WORK_DIR}/root" || fail "could not unpack ${DEB}"
[[ -x "${WORK_DIR}/root/usr/bin/promtool" ]] || fail "no usr/bin/promtool inside ${DEB}"

install_binary "${WORK_DIR}/root/usr/bin/promtool" "${PROMTOOL}"

VERSION="$("${PROMTOOL}" --version 2>&1 | head -n 1)" || fail "installed ${PROMTOOL} does not run: ${VERSION}"
echo "promtool installed at ${PROMTOOL}: ${VERSION} (from $(basename "${DEB}"))"
