#!/usr/bin/env bash
# Installs the Debian 12 packages Pollinator builds and runs with.
# Idempotent: packages that are already installed are skipped, and apt is not
# touched at all when nothing is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libfaiss-dev libopenblas-dev librocksdb-dev libabsl-dev
  libgtest-dev libgmock-dev libbenchmark-dev libhnswlib-dev  # last: bench/ only
  libcsv-dev libxapian-dev libxgboost-dev libssl-dev libcpp-httplib-dev libxxhash-dev
  wordnet-dev wordnet-base libfasttext-dev
  liblemon-dev
  python3-grpcio python3-protobuf nodejs  # clients/ examples (npm below)
  chromium  # the staff console's browser test (tests/console/), headless
  openssl python3-yaml  # TLS test certificates; the deploy/ manifests check
  clang-14 libclang-rt-14-dev libomp-14-dev  # fuzz/ (libFuzzer, sanitizers; OpenMP for clang)
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
# Debian's nodejs comes without npm (a separate package); other nodejs builds
# bundle it and conflict with Debian's npm, so it is installed only if absent.
if ! command -v npm >/dev/null; then
  missing+=(npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install_deps: all ${#packages[@]} Debian packages already installed"
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install_deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi

echo "install_deps: installing ${missing[*]}"
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
