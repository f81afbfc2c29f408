#!/usr/bin/env bash
# The README's first command: set up, build, start pollinatord on
# localhost:50051 with an embedded RocksDB store in var/pollinator (loading
# the bundled sample ecosystem when the store is empty), print ranked partner
# suggestions for one sample SMB need, and keep serving until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

listen="${POLLINATOR_LISTEN:-127.0.0.1:50051}"
data_dir="${POLLINATOR_DATA_DIR:-var/pollinator}"
demo_profile="smb-de-lindenau-battery-systems"

tools/build.sh

build/bin/pollinatord --auth=none --listen="$listen" --data_dir="$data_dir" \
  --samples=data/samples/ecosystem.jsonl --samples_tenant=demo &
server=$!
# Forward Ctrl-C / SIGTERM so the server drains and saves before exit.
trap 'kill -TERM "$server" 2>/dev/null || true' INT TERM

for _ in $(seq 1 100); do
  if build/bin/pollinator --server="$listen" --timeout=1s health >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then echo "run_demo: pollinatord exited" >&2; wait "$server"; exit 1; fi
  sleep 0.2
done

echo
echo "== Partner suggestions for need n1 of sample SMB $demo_profile (tenant demo) =="
build/bin/pollinator --server="$listen" --tenant=demo get "$demo_profile" || true
echo
build/bin/pollinator --server="$listen" --tenant=demo match --profile="$demo_profile" --item=n1 --top_k=5 || true
echo
echo "pollinatord keeps serving on $listen; try: build/bin/pollinator --tenant=demo list"
echo "Press Ctrl-C to stop."
# A trapped signal interrupts `wait`; keep waiting while the server drains,
# saves its indexes and flushes, then exit with the server's own status
# (bash keeps it for a final `wait`).
while kill -0 "$server" 2>/dev/null; do
  wait "$server" || true
done
wait "$server"
