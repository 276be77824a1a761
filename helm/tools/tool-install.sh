#!/usr/bin/env bash
# Shared by the helm/tools/install-*.sh scripts (source it, do not run it): where tools go and how a
# binary is put there.
#
#   TOOLS_DIR            <repo>/.tools, or SIEVE_TOOLS_DIR
#   fail MESSAGE...      prints "<script>: ERROR: MESSAGE" and exits 1
#   install_binary SRC DEST
#                        copies SRC to DEST through DEST.partial, so an interrupted run never leaves a
#                        half-written binary that the next run would take for installed

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
