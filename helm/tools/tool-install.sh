#!/usr/bin/env bash
# Shared by the helm/tools/install-*.sh scripts (source it, do not run it): where tools go, how a
# binary is put there, and the apt-get steps (root check, scratch directory, no service starts,
# install with one `apt-get update` retry) so that each script only says what it installs.
#
#   TOOLS_DIR            <repo>/.tools, or SIEVE_TOOLS_DIR
#   fail MESSAGE...      prints "<script>: ERROR: MESSAGE" and exits 1
#   install_binary SRC DEST
#                        copies SRC to DEST through DEST.partial, so an interrupted run never leaves a
#                        half-written binary that the next run would take for installed
#   require_apt WHAT     fails unless apt-get is there ("apt-get is required (Debian/Ubuntu) to WHAT")
#   require_root HINT    fails with HINT (what to run instead) unless running as root
#   is_root              true when running as root
#   make_work_dir NAME   sets WORK_DIR to a fresh temporary directory, removed on exit
#   block_service_starts writes a temporary /usr/sbin/policy-rc.d (the Debian mechanism for "do not
#                        start services from package scripts"), removed on exit; an existing one is
#                        left alone. Needs root and make_work_dir first.
#   apt_install PKG...   apt-get install -y --no-install-recommends, log in WORK_DIR/apt.log; on a
#                        failure (a fresh machine may have no package lists) `apt-get update` once
#                        and retry; fails with the log
#   apt_download PKG...  apt-get download into WORK_DIR; as root, on a failure `apt-get update` once
#                        and retry; fails with the log

fail() {
  echo "$(basename "$0"): ERROR: $*" >&2
  exit 1
}

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS_DIR="${SIEVE_TOOLS_DIR:-${REPO_ROOT}/.tools}"

install_binary() {
  mkdir -p "$(dirname "$2")"
  cp "$1" "$2.partial"
  chmod +x "$2.partial"
  mv -f "$2.partial" "$2"
}

require_apt() {
  command -v apt-get >/dev/null 2>&1 || fail "apt-get is required (Debian/Ubuntu) to $*"
}

is_root() {
  [[ "$(id -u)" == "0" ]]
}

require_root() {
  is_root || fail "$*"
}

WORK_DIR=""
_OWN_POLICY=""
_tool_install_cleanup() {
  if [[ -n "${_OWN_POLICY}" ]]; then rm -f "${_OWN_POLICY}"; fi
  if [[ -n "${WORK_DIR}" ]]; then rm -rf "${WORK_DIR}"; fi
}

make_work_dir() {
  WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/sieve-$1.XXXXXX")"
  trap _tool_install_cleanup EXIT
}

block_service_starts() {
  local policy=/usr/sbin/policy-rc.d
  if [[ ! -e "${policy}" ]]; then
    printf '#!/bin/sh\n# written by sieve %s for the duration of apt-get install\nexit 101\n' \
      "$(basename "$0")" > "${policy}"
    chmod +x "${policy}"
    _OWN_POLICY="${policy}"
  fi
}

_apt_update_once() {
  apt-get update >"${WORK_DIR}/update.log" 2>&1 \
    || { cat "${WORK_DIR}/update.log" >&2; fail "apt-get update failed"; }
}

apt_install() {
  local install=(apt-get install -y --no-install-recommends "$@")
  if ! DEBIAN_FRONTEND=noninteractive "${install[@]}" >"${WORK_DIR}/apt.log" 2>&1; then
    echo "apt-get install failed; running apt-get update once and retrying ..."
    _apt_update_once
    DEBIAN_FRONTEND=noninteractive "${install[@]}" >"${WORK_DIR}/apt.log" 2>&1 \
      || { cat "${WORK_DIR}/apt.log" >&2; fail "apt-get install $* failed"; }
  fi
}

apt_download() {
  # apt-get download drops privileges to _apt where it can; let it write here.
  chmod 0777 "${WORK_DIR}"
  if ! (cd "${WORK_DIR}" && apt-get download "$@" >"${WORK_DIR}/download.log" 2>&1); then
    if is_root; then
      echo "apt-get download failed; running apt-get update once and retrying ..."
      _apt_update_once
      (cd "${WORK_DIR}" && apt-get download "$@" >"${WORK_DIR}/download.log" 2>&1) \
        || { cat "${WORK_DIR}/download.log" >&2; fail "apt-get download $* failed"; }
    else
      cat "${WORK_DIR}/download.log" >&2
      fail "apt-get download $* failed (run apt-get update as root first?)"
    fi
  fi
}
