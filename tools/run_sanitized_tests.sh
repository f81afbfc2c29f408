#!/usr/bin/env bash
# The whole test suite again under AddressSanitizer and
# UndefinedBehaviorSanitizer: a Debug build with POLLINATOR_SANITIZE=ON in
# build-asan/ (the normal build/ is left alone). Installs what the build
# needs first, as tools/build.sh does. CI runs it after the normal suite.
#
#   tools/run_sanitized_tests.sh [ctest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/install_deps.sh
deploy/install_npm_packages.sh clients/node tests/console

echo "sanitized build: configuring (Debug, ASan + UBSan) in build-asan/"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPOLLINATOR_SANITIZE=ON >/dev/null
start=$(date +%s)
cmake --build build-asan
echo "sanitized build: done in $(( $(date +%s) - start )) s"
cd build-asan
# Any report fails its test: ASan aborts, and UBSan too (no recovery).
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --output-on-failure --timeout 900 "$@"
