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
# tests/console/node_modules: deploy/install_npm_packages.sh installs it.
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
  echo "run_console_test: tests/console/node_modules is missing; run deploy/install_npm_packages.sh" >&2
  exit 1
fi

source "$repo/tests/testing/test_server.sh"
start_test_server run_console_test "$pollinatord" "$pollinator" http
admin=$(create_test_tenant console "console test")
# Staff record feedback, so the console logs in with a writer key.
writer=$("$pollinator" --server="$address" --key="$admin" keys create --role=writer --label=staff 2>"$work/cli.log") || {
  echo "run_console_test: keys create failed:" >&2
  cat "$work/cli.log" >&2
  exit 1
}
case "$writer" in
  pk_*) ;;
  *) echo "run_console_test: keys create printed no key: $writer" >&2; exit 1 ;;
esac
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
