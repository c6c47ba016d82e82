#!/usr/bin/env bash
# The layering rules of docs/architecture.md, checked on every #include of src/:
#
#   folder        may include project headers from
#   src/core      core
#   src/io        core, io
#   src/store     core, io, store
#   src/report    core, io, report
#   src/net       core, net                                 (outbound HTTP(S))
#   src/service   core, io, store, net, service
#   src/web       core, io, store, service, report, web
#   src/cli       core, io, store, net, service, report, cli     (web and cli never include each other)
#   src/main.cpp  anything (the composition root)
#   tests/, fuzz/, bench/: anything (not checked)
#
# and src/core, the pure domain, includes only the C++ standard library, without its I/O headers.
# Three third-party libraries stay in the one place that wraps them: Boost (Beast, Asio) in
# src/web/server.cpp and src/net/ (its .cpp files; OpenSSL there too), sqlite3.h in
# src/store/sqlite/, libpq-fe.h in src/store/postgres/.
#
# Usage: scripts/check-includes.sh [SOURCE_DIR]   (default: the repository holding this script)
# Prints each broken rule as `file:line: #include … — rule` and exits 1; exits 0 when none is.
set -euo pipefail

root=${1:-"$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"}
cd "$root"
if [[ ! -d src ]]; then
  echo "check-includes: no src/ folder in $root" >&2
  exit 2
fi

declare -A allowed=(
  [core]="core"
  [io]="core io"
  [store]="core io store"
  [report]="core io report"
  [net]="core net"
  [service]="core io store net service"
  [web]="core io store service report web"
  [cli]="core io store net service report cli"
)

# The standard headers core may include: the C++20 library minus its I/O. Left out on purpose:
# <iostream> <istream> <ostream> <fstream> <ios> <iosfwd> <iomanip> <streambuf> <syncstream>
# <filesystem> <print> <future> (files, streams, the console, asynchronous tasks) and <csignal>
# <csetjmp> (process state). A header not in this list (<unistd.h>, <sys/…>, <sqlite3.h>,
# <boost/…>, <nlohmann/…>, <pango/…>, <fmt/…>, …) is I/O, system or third-party: not core's.
#   <cstdio>   stays allowed for std::snprintf, which core uses to format numbers into a buffer
#              (core/audit.cpp, core/edition_diff.cpp); core must not use its FILE functions.
#   <sstream>  stays allowed: string streams format in memory (core uses none today).
#   <chrono>   stays allowed for calendar dates (fiscal years, deadlines); core takes "today" as
#              an argument rather than reading a clock.
core_std=" algorithm any array atomic barrier bit bitset cassert cctype cerrno cfenv cfloat
  charconv chrono cinttypes climits clocale cmath compare complex concepts condition_variable
  coroutine cstdarg cstddef cstdint cstdio cstdlib cstring ctime cuchar cwchar cwctype deque
  exception execution expected format forward_list functional initializer_list iterator latch
  limits list locale map memory memory_resource mutex new numbers numeric optional queue random
  ranges ratio regex scoped_allocator semaphore set shared_mutex source_location span sstream
  stack stdexcept stop_token string string_view system_error thread tuple type_traits typeindex
  typeinfo unordered_map unordered_set utility valarray variant vector version "
core_std=" ${core_std//$'\n'/ } "

# Normalises a relative path: a/b/../c → a/c, ./a → a.
normalize() {
  local IFS=/ part out=()
  for part in $1; do
    case $part in
      "" | .) ;;
      ..) ((${#out[@]})) && unset 'out[${#out[@]}-1]' ;;
      *) out+=("$part") ;;
    esac
  done
  echo "${out[*]}"
}

# The src/ folder a path under src/ belongs to ("main" for files directly in src/).
layer_of() {
  local rest=${1#src/}
  if [[ $rest == */* ]]; then echo "${rest%%/*}"; else echo main; fi
}

violations=0
report() {  # file line text rule
  echo "$1:$2: $3 — $4"
  violations=$((violations + 1))
}

while IFS= read -r file; do
  layer=$(layer_of "$file")
  [[ $layer == main ]] && continue  # src/main.cpp: the composition root may include anything
  if [[ -z ${allowed[$layer]+set} ]]; then
    report "$file" 1 "(folder src/$layer)" "src/$layer has no row in the rule table of scripts/check-includes.sh and docs/architecture.md; add one"
    continue
  fi
  # `line<TAB>kind<TAB>name` for each #include "name" (kind q) or #include <name> (kind a).
  while IFS=$'\t' read -r line kind name text; do
    if [[ $kind == q ]]; then
      # Resolved as the compiler does: next to the including file first, then from src/.
      # A header not there yet (being added) counts by its path.
      target=""
      local_path=$(normalize "$(dirname "$file")/$name")
      if [[ -e $local_path && $local_path == src/* ]]; then
        target=$local_path
      elif [[ $name != ../* && $name == */* ]]; then
        target=src/$(normalize "$name")
      elif [[ $name == */* && $local_path == src/*/* ]]; then
        target=$local_path
      fi
      to=""
      [[ -n $target ]] && to=$(layer_of "$target")
      if [[ -z $to || $to == main || -z ${allowed[$to]+set} ]]; then
        if [[ -n $target && -e $target ]]; then
          report "$file" "$line" "$text" "src/$layer may include only from ${allowed[$layer]// /, }"
        elif [[ $layer == core ]]; then
          # Not a project header ("sqlite3.h" in quotes, say): core includes no such thing.
          report "$file" "$line" "$text" "src/core is pure: only core headers and the C++ standard library"
        fi
        continue
      fi
      if [[ " ${allowed[$layer]} " != *" $to "* ]]; then
        why="src/$layer may include only from ${allowed[$layer]// /, }"
        if [[ ($layer == cli && $to == web) || ($layer == web && $to == cli) ]]; then
          why="$why (web and cli never include each other: shared code goes to src/service, the wiring to src/main.cpp)"
        fi
        report "$file" "$line" "$text" "$why"
      fi
    else
      if [[ $layer == core && $core_std != *" $name "* ]]; then
        report "$file" "$line" "$text" "src/core is pure: only the C++ standard library, without I/O (no files, streams, system or third-party headers)"
      fi
      case $name in
        boost/*)
          [[ $file == src/web/server.cpp || $file == src/net/*.cpp ]] ||
            report "$file" "$line" "$text" "Boost (Beast, Asio) stays in src/web/server.cpp and src/net/*.cpp; handlers use web/http.hpp, others net/fetch.hpp" ;;
        openssl/*)
          [[ $file == src/net/*.cpp ]] ||
            report "$file" "$line" "$text" "OpenSSL stays in src/net/*.cpp; use net/fetch.hpp" ;;
        sqlite3.h)
          [[ $file == src/store/sqlite/* ]] ||
            report "$file" "$line" "$text" "sqlite3.h stays in src/store/sqlite/; use the store::Store interface" ;;
        libpq-fe.h)
          [[ $file == src/store/postgres/* ]] ||
            report "$file" "$line" "$text" "libpq-fe.h stays in src/store/postgres/; use the store::Store interface" ;;
      esac
    fi
  done < <(awk '
    /^[ \t]*#[ \t]*include[ \t]*"[^"]+"/ {
      match($0, /"[^"]+"/)
      t = $0; sub(/^[ \t]+/, "", t)
      print FNR "\tq\t" substr($0, RSTART + 1, RLENGTH - 2) "\t" t
      next
    }
    /^[ \t]*#[ \t]*include[ \t]*<[^>]+>/ {
      match($0, /<[^>]+>/)
      t = $0; sub(/^[ \t]+/, "", t)
      print FNR "\ta\t" substr($0, RSTART + 1, RLENGTH - 2) "\t" t
    }' "$file")
done < <(find src -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' -o -name '*.cc' \
  -o -name '*.ipp' -o -name '*.inc' \) | LC_ALL=C sort)

if ((violations > 0)); then
  echo "check-includes: $violations include(s) break the layering rules (docs/architecture.md)"
  exit 1
fi
echo "check-includes: every #include of src/ follows the layering rules"
