#!/usr/bin/env bash
# The whole test suite again under sanitizers, in its own build folder (the
# normal build/ is left alone). Installs what the build needs first, as
# tools/build.sh does.
#
#   tools/run_sanitized_tests.sh [ctest arguments]
#       AddressSanitizer + UndefinedBehaviorSanitizer: a Debug build with
#       POLLINATOR_SANITIZE=ON in build-asan/. CI runs this after the suite.
#   tools/run_sanitized_tests.sh --thread [ctest arguments]
#       ThreadSanitizer: a RelWithDebInfo build with POLLINATOR_TSAN=ON in
#       build-tsan/. Reports go to build-tsan/tsan-reports/; any report, from
#       a test or from a server it started, fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

sanitizer=address
if [[ ${1:-} == --thread ]]; then
  sanitizer=thread
  shift
fi

deploy/install_deps.sh
deploy/install_npm_packages.sh clients/node tests/console

if [[ $sanitizer == address ]]; then
  dir=build-asan
  echo "sanitized build: configuring (Debug, ASan + UBSan) in $dir/"
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPOLLINATOR_SANITIZE=ON >/dev/null
else
  dir=build-tsan
  echo "sanitized build: configuring (RelWithDebInfo, TSan) in $dir/"
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPOLLINATOR_TSAN=ON >/dev/null
fi
start=$(date +%s)
cmake --build "$dir"
echo "sanitized build: done in $(( $(date +%s) - start )) s"

if [[ $sanitizer == address ]]; then
  cd "$dir"
  # Any report fails its test: ASan aborts, and UBSan too (no recovery).
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --output-on-failure --timeout 900 "$@"
  exit
fi

reports=$root/$dir/tsan-reports
rm -rf "$reports"
mkdir -p "$reports"
cd "$dir"
status=0
# halt_on_error: the racing process stops at its first report, so the test
# that started it fails. log_path: servers started by tests report too,
# and their reports are checked below.
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 history_size=4 log_path=$reports/report suppressions=$root/tools/tsan/suppressions.txt" \
  ctest --output-on-failure --timeout 900 "$@" || status=$?
if compgen -G "$reports/report*" >/dev/null; then
  echo "ThreadSanitizer reports in $reports:"
  grep -h "^SUMMARY" "$reports"/report* | sort | uniq -c
  status=1
else
  echo "ThreadSanitizer: no reports"
fi
exit $status
