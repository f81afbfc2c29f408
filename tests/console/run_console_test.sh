#!/usr/bin/env bash
# The staff console end to end, for CTest (tests/console/CMakeLists.txt) or
# by hand:
#
#   tests/console/run_console_test.sh POLLINATORD POLLINATOR
#
# POLLINATORD and POLLINATOR are the server and CLI binaries. The script
# starts the server with API keys on (free loopback ports for gRPC and HTTP,
# a fresh data folder and operator key), creates the tenant "console" and a
# writer key with the CLI, imports data/samples/ecosystem.jsonl, and runs
# console_end_to_end.mjs: headless Debian chromium, driven by playwright-core,
# uses the console as a staff member would. Screenshots of every view go to
# console_screenshots/ in the current folder (CTest: the test's folder under
# the build tree).
#
# Environment: POLLINATOR_CHROMIUM (default /usr/bin/chromium),
# POLLINATOR_NODE (default: node on PATH). It needs
# tests/console/node_modules: deploy/install_console_test_deps.sh installs it.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 POLLINATORD POLLINATOR" >&2
  exit 2
fi
pollinatord=$1
pollinator=$2
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
chromium=${POLLINATOR_CHROMIUM:-/usr/bin/chromium}

# Failures, not skips: a missing install must not pass unnoticed.
if [ ! -x "$chromium" ]; then
  echo "run_console_test: $chromium is missing; deploy/install_deps.sh installs Debian's chromium" >&2
  exit 1
fi
if [ ! -f "$here/node_modules/playwright-core/package.json" ]; then
  echo "run_console_test: tests/console/node_modules is missing; run deploy/install_console_test_deps.sh" >&2
  exit 1
fi

work=$(mktemp -d -t pollinator-console-test.XXXXXX)
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

# Another process may take a free port before the server binds it, so a
# server that dies while starting is retried on new ports.
address=
http_address=
for attempt in 1 2 3; do
  address="127.0.0.1:$(free_port)"
  http_address="127.0.0.1:$(free_port)"
  rm -rf "$work/data"
  "$pollinatord" --auth=keys --listen="$address" --http_listen="$http_address" --data_dir="$work/data" \
    --admin_key_file="$work/operator.key" --ranker_training_interval=0 2>"$work/pollinatord.log" &
  server_pid=$!
  ready=
  deadline=$((SECONDS + 30))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if "$pollinator" --server="$address" --timeout=1s health >/dev/null 2>&1 &&
       python3 -c "import urllib.request; urllib.request.urlopen('http://$http_address/v1/health', timeout=1)" 2>/dev/null; then
      ready=yes
      break
    fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.2
  done
  [ -n "$ready" ] && break
  echo "run_console_test: pollinatord did not come up on $address / $http_address (attempt $attempt); its log:" >&2
  cat "$work/pollinatord.log" >&2
  stop_server
  server_pid=
done
if [ -z "$server_pid" ]; then
  echo "run_console_test: giving up on starting pollinatord" >&2
  exit 1
fi

# `tenants create` prints the tenant's first admin key alone on stdout.
admin=$(POLLINATOR_ADMIN_KEY=$(cat "$work/operator.key") "$pollinator" --server="$address" \
  tenants create console --label="console test" 2>"$work/cli.log") || {
  echo "run_console_test: tenants create failed:" >&2
  cat "$work/cli.log" >&2
  exit 1
}
# Staff record feedback, so the console logs in with a writer key.
writer=$("$pollinator" --server="$address" --key="$admin" keys create --role=writer --label=staff 2>"$work/cli.log") || {
  echo "run_console_test: keys create failed:" >&2
  cat "$work/cli.log" >&2
  exit 1
}
for key in "$admin" "$writer"; do
  case "$key" in
    pk_*) ;;
    *) echo "run_console_test: expected an API key, got: $key" >&2; exit 1 ;;
  esac
done
"$pollinator" --server="$address" --key="$admin" import "$repo/data/samples/ecosystem.jsonl" >"$work/import.log" 2>&1 || {
  echo "run_console_test: importing the sample ecosystem failed:" >&2
  cat "$work/import.log" >&2
  exit 1
}

echo "run_console_test: console at http://$http_address/ (gRPC $address)"
status=0
CONSOLE_URL="http://$http_address/" POLLINATOR_SERVER="$address" POLLINATOR_KEY="$writer" \
  POLLINATOR_CLI="$pollinator" POLLINATOR_CHROMIUM="$chromium" CONSOLE_WORK_DIR="$work" \
  CONSOLE_SCREENSHOT_DIR="$PWD/console_screenshots" \
  "${POLLINATOR_NODE:-node}" "$here/console_end_to_end.mjs" || status=$?
if [ "$status" -ne 0 ]; then
  echo "run_console_test: the browser test failed (exit status $status); server log:" >&2
  tail -n 50 "$work/pollinatord.log" >&2
fi
exit "$status"
