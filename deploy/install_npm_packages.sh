#!/usr/bin/env bash
# Installs the npm packages of each folder given (relative to the
# repository), exactly as its package-lock.json pins them:
#
#   deploy/install_npm_packages.sh clients/node tests/console
#
# clients/node is the Node client example (@grpc/grpc-js); tests/console is
# the staff console's browser test (playwright-core, which drives Debian's
# chromium and downloads no browser of its own). Idempotent: a folder whose
# node_modules is newer than its lock file is left alone. Run after
# deploy/install_deps.sh, which installs nodejs, npm and chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

for dir in "$@"; do
  cd "$repo/$dir"
  # npm writes node_modules/.package-lock.json when an install completes, so
  # it is missing after an interrupted one and older than the lock after a
  # change.
  if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
    echo "install_npm_packages: $dir/node_modules is up to date"
    continue
  fi

  command -v npm >/dev/null || { echo "install_npm_packages: npm is missing; run deploy/install_deps.sh" >&2; exit 1; }
  echo "install_npm_packages: npm ci in $dir"
  # No locked package needs its install script (protobufjs's only prints
  # version hints, playwright-core has none); skipping them keeps the
  # install to the locked files.
  npm ci --no-audit --no-fund --ignore-scripts
  # npm ci keeps the files' own times; the marker must be newer than the lock.
  touch node_modules/.package-lock.json
done
