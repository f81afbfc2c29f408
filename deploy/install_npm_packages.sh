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
# deploy/install_deps.sh, which installs nodejs and chromium.
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

  # Debian's nodejs comes without npm (a separate package); other nodejs
  # builds bundle it and conflict with Debian's npm, so it is installed only
  # if absent.
  if ! command -v npm >/dev/null; then
    sudo_cmd=()
    if [ "$(id -u)" -ne 0 ]; then
      command -v sudo >/dev/null || { echo "install_npm_packages: need root or sudo to install npm" >&2; exit 1; }
      sudo_cmd=(sudo)
    fi
    echo "install_npm_packages: installing npm"
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends npm
  fi

  echo "install_npm_packages: npm ci in $dir"
  # No locked package needs its install script (protobufjs's only prints
  # version hints, playwright-core has none); skipping them keeps the
  # install to the locked files.
  npm ci --no-audit --no-fund --ignore-scripts
  # npm ci keeps the files' own times; the marker must be newer than the lock.
  touch node_modules/.package-lock.json
done
