#!/usr/bin/env bash
# Installs what the Python client example's test needs (examples/python-client, run by
# router/src/test/java/dev/sieve/router/PythonClientExampleTest.java): Debian's protoc
# (protobuf-compiler), its gRPC Python plugin (protobuf-compiler-grpc) and the Python runtime
# (python3-grpcio, python3-protobuf) for /usr/bin/python3. PyPI is not reachable here, so the
# Debian packages are the way. ./sieve test runs it. Needs root (CI runs as root); without root
# and without the packages it says what to run.
#
# Idempotent: when all four are present it only prints their versions.
set -euo pipefail

# fail, require_apt, require_root, make_work_dir, apt_install
source "$(dirname "${BASH_SOURCE[0]}")/tool-install.sh"

present() {
  command -v protoc >/dev/null 2>&1 && command -v grpc_python_plugin >/dev/null 2>&1 \
    && /usr/bin/python3 -c 'import grpc, google.protobuf' >/dev/null 2>&1
}

if present; then
  echo "python gRPC already installed: $(protoc --version), grpcio $(/usr/bin/python3 -c 'import grpc; print(grpc.__version__)')"
  exit 0
fi
require_apt "install protobuf-compiler, protobuf-compiler-grpc, python3-grpcio"
require_root "needs root: sudo apt-get install -y protobuf-compiler protobuf-compiler-grpc python3-grpcio python3-protobuf"
make_work_dir python-grpc
apt_install protobuf-compiler protobuf-compiler-grpc python3-grpcio python3-protobuf
present || fail "installed, but protoc / grpc_python_plugin / python3 grpc still missing"
echo "python gRPC installed: $(protoc --version), grpcio $(/usr/bin/python3 -c 'import grpc; print(grpc.__version__)')"
