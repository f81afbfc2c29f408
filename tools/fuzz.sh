#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ into build-fuzz/ (clang, ASan, UBSan)
# and runs each for a while; see fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(validation http_json jsonl csv embedder)

usage() {
  cat <<EOF
Usage: tools/fuzz.sh [--help] [TARGET...]

Builds the fuzz targets in build-fuzz/ with clang-14 (POLLINATOR_FUZZ=ON),
then runs each TARGET (default: all of ${all_targets[*]}) one after the
other, a single process each, and prints one line per target: executions,
coverage, and whether it crashed. Exits 1 if any target crashed, 2 on a
usage or build error.

Each target fuzzes build-fuzz/corpus/TARGET/, seeded from fuzz/corpus/TARGET/
(which is never written) and kept between runs. A crashing input is kept in
build-fuzz/crashes/TARGET/, the output in build-fuzz/logs/TARGET.log.

Environment:
  FUZZ_SECONDS      seconds per target (default 60)
  FUZZ_RSS_MB       memory limit per target in MiB (default 2048)
  FUZZ_TIMEOUT      seconds one input may take before it counts as a crash
                    (default 30)
  FUZZ_BUILD_LOCK   a file to flock(1) around configure and build, so that
                    builds sharing the cores take turns (default: none)
  FUZZ_SKIP_BUILD=1 run the targets already built
EOF
}

targets=()
for arg in "$@"; do
  case "$arg" in
    -h | --help) usage; exit 0 ;;
    -*) echo "fuzz: unknown option $arg (see --help)" >&2; exit 2 ;;
    *)
      if [[ ! " ${all_targets[*]} " == *" $arg "* ]]; then
        echo "fuzz: unknown target $arg; the targets are ${all_targets[*]}" >&2
        exit 2
      fi
      targets+=("$arg")
      ;;
  esac
done
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")

seconds="${FUZZ_SECONDS:-60}"
rss_mb="${FUZZ_RSS_MB:-2048}"
timeout="${FUZZ_TIMEOUT:-30}"
for value in "$seconds" "$rss_mb" "$timeout"; do
  [[ "$value" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz: \"$value\" is not a positive whole number" >&2; exit 2; }
done

locked() {
  if [ -n "${FUZZ_BUILD_LOCK:-}" ]; then
    flock "$FUZZ_BUILD_LOCK" "$@"
  else
    "$@"
  fi
}

build=build-fuzz
if [ "${FUZZ_SKIP_BUILD:-0}" != 1 ]; then
  command -v clang++-14 >/dev/null || { echo "fuzz: clang++-14 is missing; deploy/install_deps.sh installs it" >&2; exit 2; }
  echo "fuzz: configuring $build/"
  mkdir -p "$build"
  if ! CC=clang-14 CXX=clang++-14 locked cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DPOLLINATOR_FUZZ=ON -DBUILD_TESTING=OFF >"$build/configure.log" 2>&1; then
    cat "$build/configure.log" >&2
    exit 2
  fi
  echo "fuzz: building the fuzz targets"
  locked cmake --build "$build" -j2 --target fuzzers || exit 2
fi

# Crash reports with stacks; UBSan findings stop the target like ASan's.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

mkdir -p "$build/logs"
summaries=()
crashed=0
for target in "${targets[@]}"; do
  binary="$build/bin/${target}_fuzzer"
  [ -x "$binary" ] || { echo "fuzz: $binary is not built" >&2; exit 2; }
  corpus="$build/corpus/$target"
  crashes="$build/crashes/$target"
  log="$build/logs/$target.log"
  mkdir -p "$corpus" "$crashes"
  # Seeds are added, never overwritten: the corpus grows from run to run.
  for seed in fuzz/corpus/"$target"/*; do
    [ -e "$corpus/$(basename "$seed")" ] || cp "$seed" "$corpus/"
  done
  before=$(find "$crashes" -type f | wc -l)

  echo "fuzz: $target for $seconds s"
  start=$(date +%s)
  status=0
  "$binary" -max_total_time="$seconds" -rss_limit_mb="$rss_mb" -timeout="$timeout" -print_final_stats=1 \
    -artifact_prefix="$crashes/" "$corpus" >"$log" 2>&1 || status=$?
  elapsed=$(( $(date +%s) - start ))

  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  # The last status line: "#123 REDUCE cov: 456 ft: 789 corp: 12/3456b ...".
  progress=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$progress")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$progress")
  corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$progress")
  if [ -z "$execs" ]; then
    execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$progress")
  fi
  after=$(find "$crashes" -type f | wc -l)
  if [ "$status" -ne 0 ] || [ "$after" -gt "$before" ]; then
    crashed=1
    newest=$(ls -t "$crashes" 2>/dev/null | head -1)
    result="CRASH (exit $status): $crashes/${newest:-?}, see $log"
  else
    result="ok"
  fi
  summaries+=("$(printf '%-10s %4d s  %10s execs  cov %-6s ft %-6s corpus %-5s %s' \
    "$target" "$elapsed" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result")")
  echo "${summaries[-1]}"
done

echo "fuzz: summary"
printf '  %s\n' "${summaries[@]}"
exit "$crashed"
