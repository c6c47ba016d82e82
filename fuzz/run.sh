#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS each on a copy of its corpus in fuzz/corpus/, with
# its dictionary fuzz/dict/<target>.dict when there is one.
# Usage: fuzz/run.sh BUILD_DIR SECONDS
# A crash leaves its input under BUILD_DIR/fuzz-findings/<target>/ and fails the run; add
# the input to fuzz/corpus/<target>/ and a regression test once fixed.
set -euo pipefail
build=${1:?usage: fuzz/run.sh BUILD_DIR SECONDS}
seconds=${2:-20}
here=$(cd "$(dirname "$0")" && pwd)
status=0
for target in fuzz_edition fuzz_result_input fuzz_answers_csv fuzz_form fuzz_http fuzz_national_import; do
  work="$build/fuzz-work/$target"
  findings="$build/fuzz-findings/$target"
  rm -rf "$work"
  mkdir -p "$work" "$findings"
  cp "$here/corpus/$target"/* "$work/"
  log="$build/fuzz-$target.log"
  dict=()
  if [[ -f "$here/dict/$target.dict" ]]; then dict=(-dict="$here/dict/$target.dict"); fi
  if "$build/fuzz/$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
      -artifact_prefix="$findings/" -print_final_stats=1 "${dict[@]}" "$work" >"$log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
    echo "fuzz: $target ok, $runs executions in ${seconds}s, corpus $(ls "$work" | wc -l) inputs"
  else
    echo "fuzz: $target FAILED (log: $log, input under $findings/)"
    tail -30 "$log"
    status=1
  fi
done
exit $status
