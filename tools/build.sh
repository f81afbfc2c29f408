#!/usr/bin/env bash
# Installs the Debian packages (idempotent) and builds Pollinator into build/
# (Release by default; BUILD_TYPE=Debug or POLLINATOR_SANITIZE=ON to change).
# Binaries land in build/bin/.
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/install_deps.sh
# The npm packages of the Node.js client example and of the staff console's
# browser test (skipped when up to date).
deploy/install_npm_packages.sh clients/node tests/console

build_type="${BUILD_TYPE:-Release}"
echo "build: configuring ($build_type)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$build_type" \
  -DPOLLINATOR_SANITIZE="${POLLINATOR_SANITIZE:-OFF}" >/dev/null
start=$(date +%s)
cmake --build build
echo "build: done in $(( $(date +%s) - start )) s"
