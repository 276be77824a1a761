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

# fail, TOOLS_DIR, require_apt, is_root, make_work_dir, block_service_starts, apt_install,
# apt_download
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
require_apt "install the postgresql package"

make_work_dir postgresql
if is_root; then
  block_service_starts
  echo "Installing Debian's postgresql package with apt-get ..."
  apt_install postgresql
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  [[ -n "${found}" ]] || fail "the postgresql package left no /usr/lib/postgresql/*/bin"
  echo "postgresql installed: ${found} ($("${found}/postgres" --version))"
  exit 0
fi

# Not root: unpack the server package and libpq into .tools/postgresql.
server="$(apt-cache depends postgresql 2>/dev/null | awk '/Depends: postgresql-[0-9]+$/ { print $2; exit }')"
[[ -n "${server}" ]] || fail "apt-cache knows no postgresql-NN package (run apt-get update as root, or install postgresql)"
apt_download "${server}" libpq5
mkdir -p "${TOOLS_DIR}/postgresql.partial"
for deb in "${WORK_DIR}"/*.deb; do
  dpkg -x "${deb}" "${TOOLS_DIR}/postgresql.partial"
done
rm -rf "${TOOLS_DIR}/postgresql"
mv "${TOOLS_DIR}/postgresql.partial" "${TOOLS_DIR}/postgresql"
local_bin="$(ls -d "${TOOLS_DIR}"/postgresql/usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
echo "postgresql unpacked: ${local_bin} (the tests add ${TOOLS_DIR}/postgresql/usr/lib/x86_64-linux-gnu to LD_LIBRARY_PATH)"
