#!/usr/bin/env bash
# `make run`: the demo agency (the seed's municipality, FY2566 result).
# Usage: run-demo.sh ITA_BINARY DB_PATH PORT
set -euo pipefail
ita=$1
db=$2
port=$3
root=$(cd "$(dirname "$0")/.." && pwd)
demo="$root/tests/fixtures/seed-2566-indicators.json"

if "$ita" serve --help >/dev/null 2>&1; then
  mkdir -p "$(dirname "$db")"
  exec "$ita" serve --db "$db" --port "$port" --demo
fi

# Until the web application lands (issue 3), the demo is the engine on the seed's result.
echo "OpenITA demo: เทศบาลตำบลแม่สายมิตรภาพ, ITA FY2566 (from $demo)"
echo
"$ita" analyze "$demo" --thai-digits
echo
"$ita" whatif "$demo" --thai-digits
