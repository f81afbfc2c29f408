#!/usr/bin/env bash
# The long crash loop: runs the crash loop test (tests/process/
# crash_loop_test.cc) with many SIGKILLs of the real pollinatord under
# concurrent upserts, deletes and interactions, instead of the suite's 5.
# Needs a build (tools/build.sh); prints each round and the summary line.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  cat <<'USAGE'
Usage: tools/crash_loop.sh [--kills=N] [--seed=S]

Runs build/bin/crash_loop_test with N kills (default 50), each after a
random 0.3-1.5 s of writes, and checks after every restart that no
acknowledged write was lost.

  --kills=N   number of SIGKILLs (at least 1; default 50)
  --seed=S    replay the random choices of an earlier run (its seed is
              printed at the start and in the summary)
  --help      this text
USAGE
}

kills=50
seed=""
for arg in "$@"; do
  case "$arg" in
    --kills=*) kills="${arg#--kills=}" ;;
    --seed=*) seed="${arg#--seed=}" ;;
    --help | -h) usage; exit 0 ;;
    *) echo "crash_loop: unknown argument: $arg" >&2; usage >&2; exit 2 ;;
  esac
done
if ! [[ "$kills" =~ ^[1-9][0-9]*$ ]]; then
  echo "crash_loop: --kills must be a positive number, not \"$kills\"" >&2
  exit 2
fi
if [[ -n "$seed" && ! "$seed" =~ ^[0-9]+$ ]]; then
  echo "crash_loop: --seed must be a number, not \"$seed\"" >&2
  exit 2
fi

binary=build/bin/crash_loop_test
if [[ ! -x "$binary" ]]; then
  echo "crash_loop: $binary not found; build first (tools/build.sh)" >&2
  exit 1
fi

log="$(mktemp -t crash_loop.XXXXXX.log)"
trap 'rm -f "$log"' EXIT
status=0
POLLINATOR_CRASH_LOOP_KILLS="$kills" POLLINATOR_CRASH_LOOP_SEED="$seed" \
  "$binary" --gtest_filter='CrashLoopTest.*' 2>&1 | tee "$log" || status=$?
echo
grep '^crash loop summary:' "$log" || echo "crash_loop: the test printed no summary" >&2
if [[ "$status" -ne 0 ]]; then
  echo "crash_loop: FAILED (exit $status)" >&2
fi
exit "$status"
