#!/usr/bin/env bash
# Runs the browser tests; exit 77 (skipped) when Chromium, Node.js or playwright-core is missing,
# unless ITA_REQUIRE_BROWSER=1 (then it fails). Usage: run.sh ITA_BINARY ARTIFACTS_DIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
missing=""
command -v node >/dev/null || missing="node"
[[ -x /usr/bin/chromium ]] || missing="$missing chromium"
[[ -d "$here/node_modules/playwright-core" ]] || missing="$missing playwright-core (npm ci in tests/e2e)"
if [[ -n "$missing" ]]; then
  echo "browser test needs: $missing"
  [[ "${ITA_REQUIRE_BROWSER:-0}" == 1 ]] && exit 1
  exit 77
fi
mkdir -p "$2"
passed=0 failed=0
for script in survey.e2e.mjs full_round.e2e.mjs edition_authoring.e2e.mjs slips.e2e.mjs dashboard.e2e.mjs pages.e2e.mjs oit_check.e2e.mjs; do
  if node "$here/$script" "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "e2e: $script FAILED"; fi
done
echo "e2e: all $passed passed, $failed failed (screenshots in $2)"
[[ $failed == 0 ]]
