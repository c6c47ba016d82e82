#!/usr/bin/env bash
# Runs the browser test; exit 77 (skipped) when Chromium, Node.js or playwright-core is missing,
# unless ITA_REQUIRE_BROWSER=1 (then it fails).
set -euo pipefail
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
exec node "$here/survey.e2e.mjs" "$@"
