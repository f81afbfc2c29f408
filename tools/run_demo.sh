#!/usr/bin/env bash
# The README's first command: set up, build, start pollinatord on
# localhost:50051 (gRPC) and localhost:8080 (JSON over HTTP) with an embedded
# RocksDB store in var/pollinator (loading the bundled sample ecosystem when
# the store is empty), print ranked partner suggestions for one sample SMB
# need, and keep serving until Ctrl-C. It runs in development mode
# (--auth=none, loopback only): no API keys. The server's log goes to
# var/pollinator/pollinatord.log.
#
# Environment: POLLINATOR_LISTEN (gRPC HOST:PORT), POLLINATOR_HTTP_LISTEN
# (HTTP HOST:PORT), POLLINATOR_DATA_DIR (data folder).
set -euo pipefail
cd "$(dirname "$0")/.."

listen="${POLLINATOR_LISTEN:-127.0.0.1:50051}"
http_listen="${POLLINATOR_HTTP_LISTEN:-127.0.0.1:8080}"
data_dir="${POLLINATOR_DATA_DIR:-var/pollinator}"
log="$data_dir/pollinatord.log"
demo_profile="smb-de-lindenau-battery-systems"

tools/build.sh

mkdir -p "$data_dir"
# The log goes to a file so that it does not land in the middle of the match.
build/bin/pollinatord --auth=none --listen="$listen" --http_listen="$http_listen" --data_dir="$data_dir" \
  --samples=data/samples/ecosystem.jsonl --samples_tenant=demo 2>"$log" &
server=$!
# Forward Ctrl-C / SIGTERM so the server drains and saves before exit.
trap 'kill -TERM "$server" 2>/dev/null || true' INT TERM

for _ in $(seq 1 100); do
  if build/bin/pollinator --server="$listen" --timeout=1s health >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then
    echo "run_demo: pollinatord exited; its log ($log):" >&2
    cat "$log" >&2
    wait "$server" || true
    exit 1
  fi
  sleep 0.2
done

echo
echo "== Partner suggestions for need n1 of sample SMB $demo_profile (tenant demo) =="
build/bin/pollinator --server="$listen" --tenant=demo get "$demo_profile" || true
echo
build/bin/pollinator --server="$listen" --tenant=demo match --profile="$demo_profile" --item=n1 --top_k=5 || true
echo
echo "pollinatord keeps serving gRPC on $listen and HTTP on $http_listen (log: $log). Try:"
echo "  build/bin/pollinator --server=$listen --tenant=demo list"
echo "  curl -s -X POST http://$http_listen/v1/profiles:match -d '{\"tenant\":\"demo\",\"profile_id\":\"$demo_profile\",\"top_k\":3}'"
echo "Staff console: http://$http_listen/ (no API key; tenant demo)"
echo "Press Ctrl-C to stop."
# A trapped signal interrupts `wait`; keep waiting while the server drains,
# saves its indexes and flushes, then exit with the server's own status
# (bash keeps it for a final `wait`).
while kill -0 "$server" 2>/dev/null; do
  wait "$server" || true
done
wait "$server"
