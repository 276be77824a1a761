#!/usr/bin/env bash
# Installs PostgreSQL (Debian's `postgresql` package) for the annotation app's storage tests, which
# run every test on SQLite and again on a throwaway PostgreSQL server they start themselves (initdb
# into a temporary directory, a free loopback port): annotate/src/test/java/dev/sieve/annotate/TestPostgres.java.
# ./sieve test runs it.
#
# As root (CI): apt-get install, with a temporary policy-rc.d so the package does not start a cluster
# service on port 5432 (the tests start their own). Not root: the server binaries are unpacked into
# .tools/postgresql with apt-get download + dpkg -x (no root needed), and the test finds them there.
#
# Idempotent. Without PostgreSQL the tests fail and say what to run: they never pass silently.
set -euo pipefail

# fail, TOOLS_DIR
source "$(dirname "${BASH_SOURCE[0]}")/tool-install.sh"

found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [[ -n "${found}" && -x "${found}/initdb" && -x "${found}/pg_ctl" ]]; then
  echo "postgresql already installed: ${found} ($("${found}/postgres" --version))"
  exit 0
fi
local_bin="$(ls -d "${TOOLS_DIR}"/postgresql/usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [[ -n "${local_bin}" && -x "${local_bin}/initdb" ]]; then
  echo "postgresql already unpacked: ${local_bin}"
  exit 0
fi
command -v apt-get >/dev/null 2>&1 || fail "apt-get is required (Debian/Ubuntu) to install the postgresql package"

WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/sieve-postgresql.XXXXXX")"
POLICY=/usr/sbin/policy-rc.d
OWN_POLICY=0
cleanup() {
  if [[ "${OWN_POLICY}" == "1" ]]; then rm -f "${POLICY}"; fi
  rm -rf "${WORK_DIR}"
}
trap cleanup EXIT

if [[ "$(id -u)" == "0" ]]; then
  if [[ ! -e "${POLICY}" ]]; then
    printf '#!/bin/sh\n# written by sieve install-postgresql.sh for the duration of apt-get install\nexit 101\n' > "${POLICY}"
    chmod +x "${POLICY}"
    OWN_POLICY=1
  fi
  install_pg() {
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >"${WORK_DIR}/apt.log" 2>&1
  }
  echo "Installing Debian's postgresql package with apt-get ..."
  if ! install_pg; then
    echo "apt-get install failed; running apt-get update once and retrying ..."
    apt-get update >"${WORK_DIR}/update.log" 2>&1 || { cat "${WORK_DIR}/update.log" >&2; fail "apt-get update failed"; }
    install_pg || { cat "${WORK_DIR}/apt.log" >&2; fail "apt-get install postgresql failed"; }
  fi
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  [[ -n "${found}" ]] || fail "the postgresql package left no /usr/lib/postgresql/*/bin"
  echo "postgresql installed: ${found} ($("${found}/postgres" --version))"
  exit 0
fi

# Not root: unpack the server package and libpq into .tools/postgresql.
server="$(apt-cache depends postgresql 2>/dev/null | awk '/Depends: postgresql-[0-9]+$/ { print $2; exit }')"
[[ -n "${server}" ]] || fail "apt-cache knows no postgresql-NN package (run apt-get update as root, or install postgresql)"
(cd "${WORK_DIR}" && apt-get download "${server}" libpq5 >"${WORK_DIR}/download.log" 2>&1) \
  || { cat "${WORK_DIR}/download.log" >&2; fail "apt-get download ${server} libpq5 failed"; }
mkdir -p "${TOOLS_DIR}/postgresql.partial"
for deb in "${WORK_DIR}"/*.deb; do
  dpkg -x "${deb}" "${TOOLS_DIR}/postgresql.partial"
done
rm -rf "${TOOLS_DIR}/postgresql"
mv "${TOOLS_DIR}/postgresql.partial" "${TOOLS_DIR}/postgresql"
local_bin="$(ls -d "${TOOLS_DIR}"/postgresql/usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
echo "postgresql unpacked: ${local_bin} (the tests add ${TOOLS_DIR}/postgresql/usr/lib/x86_64-linux-gnu to LD_LIBRARY_PATH)"
