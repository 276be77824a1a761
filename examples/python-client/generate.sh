#!/usr/bin/env bash
# Generates the Python stubs of sieve.v1 from the repository's proto into OUT_DIR, with Debian's
# protoc (protobuf-compiler) and gRPC Python plugin (protobuf-compiler-grpc); the runtime is Debian's
# python3-grpcio and python3-protobuf (helm/tools/install-python-grpc.sh installs all four).
set -euo pipefail
OUT="${1:?usage: generate.sh OUT_DIR}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROTO="${HERE}/../../proto/src/main/proto"
PLUGIN="${SIEVE_GRPC_PYTHON_PLUGIN:-$(command -v grpc_python_plugin || true)}"
[[ -n "${PLUGIN}" ]] || { echo "grpc_python_plugin not found: apt-get install protobuf-compiler-grpc" >&2; exit 2; }
mkdir -p "${OUT}"
protoc -I "${PROTO}" --python_out="${OUT}" --grpc_python_out="${OUT}" \
  --plugin=protoc-gen-grpc_python="${PLUGIN}" "${PROTO}"/sieve/v1/*.proto
# packages for "from sieve.v1 import ..."
touch "${OUT}/sieve/__init__.py" "${OUT}/sieve/v1/__init__.py"
