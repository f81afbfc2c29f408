#!/usr/bin/env bash
# Runs one client example of clients/ against a live pollinatord, for CTest
# (tests/clients/CMakeLists.txt) or by hand:
#
#   tests/clients/run_client_example.sh python|node POLLINATORD POLLINATOR [tls]
#
# With `tls` the server speaks TLS only and the example connects with
# POLLINATOR_TLS_CA_FILE set to the CA made for the run.
#
# POLLINATORD and POLLINATOR are the server and CLI binaries. The script
# starts the server on a free loopback port with a fresh data folder and
# operator key, creates the tenant "examples" with the CLI, runs the example
# with POLLINATOR_SERVER and POLLINATOR_KEY (the tenant's admin key), stops
# the server and exits with the example's status.
#
# Environment: POLLINATOR_PYTHON (interpreter for the Python example; default
# Debian's python3, the one python3-grpcio installs into), POLLINATOR_NODE
# (default: node on PATH). The Node example needs clients/node/node_modules:
# deploy/install_npm_packages.sh installs it.
set -euo pipefail

if [ $# -lt 3 ] || [ $# -gt 4 ] || { [ "$1" != python ] && [ "$1" != node ]; } ||
   { [ $# -eq 4 ] && [ "$4" != tls ]; }; then
  echo "usage: $0 python|node POLLINATORD POLLINATOR [tls]" >&2
  exit 2
fi
lang=$1
pollinatord=$2
pollinator=$3
if [ "${4:-}" = tls ]; then export TEST_SERVER_TLS=yes; fi
repo=$(cd "$(dirname "$0")/../.." && pwd)

case "$lang" in
  python)
    # Not `python3` from PATH: a pyenv or virtualenv interpreter does not see
    # Debian's python3-grpcio.
    example=("${POLLINATOR_PYTHON:-/usr/bin/python3}" "$repo/clients/python/pollinator_example.py")
    ;;
  node)
    if [ ! -d "$repo/clients/node/node_modules/@grpc/grpc-js" ] ||
       [ ! -d "$repo/clients/node/node_modules/@grpc/proto-loader" ]; then
      # A failure, not a skip: a missing install must not pass unnoticed.
      echo "run_client_example: clients/node/node_modules is missing; run deploy/install_npm_packages.sh" >&2
      exit 1
    fi
    example=("${POLLINATOR_NODE:-node}" "$repo/clients/node/example.js")
    ;;
esac

source "$repo/tests/testing/test_server.sh"
start_test_server run_client_example "$pollinatord" "$pollinator"
key=$(create_test_tenant examples "client example")

echo "run_client_example: running the $lang example against $address"
status=0
POLLINATOR_SERVER="$address" POLLINATOR_KEY="$key" POLLINATOR_PROTO_DIR="$repo/proto" \
  POLLINATOR_TLS_CA_FILE="$test_server_ca" \
  "${example[@]}" || status=$?
if [ "$status" -ne 0 ]; then
  echo "run_client_example: the $lang example failed (exit status $status); server log:" >&2
  cat "$work/pollinatord.log" >&2
fi
exit "$status"
