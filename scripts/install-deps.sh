#!/usr/bin/env bash
# Installs the Debian packages OpenITA needs to build, test and run. Safe to run again:
# it only calls apt-get when something is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libcli11-dev libfmt-dev libspdlog-dev
  libboost-dev libkainjow-mustache-dev
  libsqlite3-dev sqlite3 libpq-dev postgresql-15
  libsodium-dev libqrencode-dev libssl-dev
  libpango1.0-dev libcairo2-dev librsvg2-dev libicu-dev libxlsxwriter-dev libzip-dev
  libxml2-dev
  fonts-thai-tlwg fonts-thai-tlwg-web poppler-utils
  python3 unzip wrk
)
# The test tools: a real browser, and LibreOffice to open the generated DOCX.
if [[ "${ITA_TEST_TOOLS:-0}" == 1 ]]; then
  packages+=(chromium libreoffice-writer-nogui)
  # libFuzzer targets (fuzz/): clang with its fuzzer runtime.
  packages+=(clang libclang-rt-14-dev)
  # The format check (scripts/check-format.sh, ctest `format`): bookworm's clang-format, 14.
  packages+=(clang-format)
  # The OpenAPI test (tests/web/api_lists_test.cpp) validates replies with JSON Schema 2020-12.
  packages+=(python3 python3-jsonschema)
  # Node.js drives the browser test; keep an existing Node.js (it may not come from Debian).
  command -v node >/dev/null || packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then exit 0; fi

echo "install-deps: installing ${missing[*]}"
sudo=""
if [[ $(id -u) != 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
