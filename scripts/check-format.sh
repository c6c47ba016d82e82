#!/usr/bin/env bash
# Checks that every C++ file of src/, tests/, bench/ and fuzz/ is formatted as .clang-format says:
# `clang-format --dry-run -Werror` on each *.cpp and *.hpp. Prints the files that are not and how
# many; exits 1 if any, 2 when clang-format is missing. Changes nothing (`make format` formats).
#
# Uses the `clang-format` on PATH (Debian bookworm's package `clang-format`, version 14; installed
# by `ITA_TEST_TOOLS=1 scripts/install-deps.sh`), or the one named by $CLANG_FORMAT. Versions
# format some constructs differently: check and format with the same one.
#
# Usage: scripts/check-format.sh [SOURCE_DIR]   (default: the repository holding this script)
set -euo pipefail

root=${1:-"$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"}
cd "$root"
clang_format=${CLANG_FORMAT:-clang-format}
if ! command -v "$clang_format" >/dev/null; then
  echo "check-format: $clang_format not found; install it: ITA_TEST_TOOLS=1 bash scripts/install-deps.sh" >&2
  exit 2
fi
if [[ ! -f .clang-format ]]; then
  echo "check-format: no .clang-format in $root" >&2
  exit 2
fi

folders=()
for d in src tests bench fuzz; do [[ -d $d ]] && folders+=("$d"); done
files=()
while IFS= read -r f; do files+=("$f"); done < <(
  find "${folders[@]}" -name node_modules -prune -o -type f \( -name '*.cpp' -o -name '*.hpp' \) -print |
    LC_ALL=C sort)

unformatted=()
for f in "${files[@]}"; do
  "$clang_format" --dry-run -Werror --style=file "$f" >/dev/null 2>&1 || unformatted+=("$f")
done

version=$("$clang_format" --version)
if ((${#unformatted[@]} > 0)); then
  printf '%s\n' "${unformatted[@]/%/: not formatted}"
  echo "check-format: ${#unformatted[@]} of ${#files[@]} files are not formatted ($version);" \
    "see one with: $clang_format --dry-run FILE; fix all with: make format"
  exit 1
fi
echo "check-format: all ${#files[@]} files are formatted ($version)"
