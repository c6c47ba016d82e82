#!/usr/bin/env bash
# make bench: bash bench/run.sh RELEASE_BUILD_DIR — the national-scale figures, each against a
# peer measured in the same run, written to bench/results.json (see bench/README.md).
set -euo pipefail
rel=${1:?usage: bench/run.sh RELEASE_BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
for tool in sqlite3 python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (bash scripts/install-deps.sh)" >&2; exit 1; }
done
exec python3 "$here/bench.py" "$rel"
