#!/usr/bin/env bash
# Installs the npm dependency of the staff console's browser test
# (tests/console/node_modules: playwright-core, which drives Debian's chromium
# from deploy/install_deps.sh and downloads no browser of its own) exactly as
# tests/console/package-lock.json pins it. Idempotent: nothing happens while
# node_modules is newer than the lock file. Run after deploy/install_deps.sh,
# which installs nodejs and chromium.
set -euo pipefail
cd "$(dirname "$0")/../tests/console"

# npm writes node_modules/.package-lock.json when an install completes, so it
# is missing after an interrupted one and older than the lock after a change.
if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  echo "install_console_test_deps: tests/console/node_modules is up to date"
  exit 0
fi

# Debian's nodejs comes without npm (a separate package); other nodejs builds
# bundle it and conflict with Debian's npm, so it is installed only if absent.
if ! command -v npm >/dev/null; then
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install_console_test_deps: need root or sudo to install npm" >&2; exit 1; }
    sudo_cmd=(sudo)
  fi
  echo "install_console_test_deps: installing npm"
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends npm
fi

echo "install_console_test_deps: npm ci in tests/console"
# playwright-core has no install script; skipping scripts keeps the install
# to the locked files.
npm ci --no-audit --no-fund --ignore-scripts
# npm ci keeps the files' own times; the marker must be newer than the lock.
touch node_modules/.package-lock.json
