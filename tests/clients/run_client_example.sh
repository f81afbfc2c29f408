#!/usr/bin/env bash
# Runs one client example of clients/ against a live pollinatord, for CTest
# (tests/clients/CMakeLists.txt) or by hand:
#
#   tests/clients/run_client_example.sh python|node POLLINATORD POLLINATOR
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
# deploy/install_node_clients.sh installs it.
set -euo pipefail

if [ $# -ne 3 ] || { [ "$1" != python ] && [ "$1" != node ]; }; then
  echo "usage: $0 python|node POLLINATORD POLLINATOR" >&2
  exit 2
fi
lang=$1
pollinatord=$2
pollinator=$3
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
      echo "run_client_example: clients/node/node_modules is missing; run deploy/install_node_clients.sh" >&2
      exit 1
    fi
    example=("${POLLINATOR_NODE:-node}" "$repo/clients/node/example.js")
    ;;
esac

work=$(mktemp -d -t pollinator-client-example.XXXXXX)
server_pid=
# SIGTERM lets the server drain and save; one that is still up after about
# 10 s is killed, so that a hang cannot outlast the test's timeout.
stop_server() {
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.2
  done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
}
cleanup() {
  if [ -n "$server_pid" ]; then stop_server; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The operator key: 64 hex characters (the server wants at least 32 bytes).
od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$work/operator.key"
chmod 600 "$work/operator.key"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Another process may take the free port before the server binds it, so a
# server that dies while starting is retried on a new port.
address=
for attempt in 1 2 3; do
  port=$(free_port)
  address="127.0.0.1:$port"
  rm -rf "$work/data"
  "$pollinatord" --listen="$address" --data_dir="$work/data" \
    --admin_key_file="$work/operator.key" --ranker_training_interval=0 2>"$work/pollinatord.log" &
  server_pid=$!
  ready=
  deadline=$((SECONDS + 30))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if "$pollinator" --server="$address" --timeout=1s health >/dev/null 2>&1; then
      ready=yes
      break
    fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.2
  done
  [ -n "$ready" ] && break
  echo "run_client_example: pollinatord did not come up on $address (attempt $attempt); its log:" >&2
  cat "$work/pollinatord.log" >&2
  stop_server
  server_pid=
done
if [ -z "$server_pid" ]; then
  echo "run_client_example: giving up on starting pollinatord" >&2
  exit 1
fi

# `tenants create` prints the tenant's first admin key alone on stdout; its
# notes on stderr are shown only if it fails.
key=$(POLLINATOR_ADMIN_KEY=$(cat "$work/operator.key") "$pollinator" --server="$address" \
  tenants create examples --label="client example" 2>"$work/tenants.log") || {
  echo "run_client_example: tenants create failed:" >&2
  cat "$work/tenants.log" >&2
  exit 1
}
case "$key" in
  pk_*) ;;
  *) echo "run_client_example: tenants create printed no key: $key" >&2; exit 1 ;;
esac

echo "run_client_example: running the $lang example against $address"
status=0
POLLINATOR_SERVER="$address" POLLINATOR_KEY="$key" POLLINATOR_PROTO_DIR="$repo/proto" \
  "${example[@]}" || status=$?
if [ "$status" -ne 0 ]; then
  echo "run_client_example: the $lang example failed (exit status $status); server log:" >&2
  cat "$work/pollinatord.log" >&2
fi
exit "$status"
