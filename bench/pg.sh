#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the benchmarks, started the way tests/store/pg_cluster.cpp
# does it: initdb in a temporary folder (as the postgres user when we are root), a free port on
# 127.0.0.1, the socket in the same folder.
#
#   bench/pg.sh start DIR   → prints the URL of database "ita" (postgresql://ita@127.0.0.1:PORT/ita)
#   bench/pg.sh stop DIR    → stops the cluster and removes DIR
#
# Settings for a load-and-measure cluster: fsync off (a throwaway: its durability is not what
# is measured), 512 MB shared buffers, a large max_wal_size so the bulk load does not
# checkpoint every few seconds.
set -euo pipefail

cmd=${1:?usage: pg.sh start|stop DIR}
dir=${2:?usage: pg.sh start|stop DIR}

bin=${ITA_PG_BIN:-}
if [[ -z $bin ]]; then
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x $d/initdb && -x $d/pg_ctl ]]; then bin=$d; break; fi
  done
fi
[[ -n $bin ]] || { echo "pg.sh: no PostgreSQL server binaries (install postgresql-15)" >&2; exit 77; }

as_pg() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 - <<'EOF'
import random, socket
for _ in range(200):
    p = random.randint(20000, 60000)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); s.close(); print(p); break
    except OSError:
        s.close()
EOF
}

case $cmd in
  start)
    mkdir -p "$dir"
    if [[ $(id -u) == 0 ]]; then
      chown postgres: "$dir"
      # The server runs as postgres: every folder above DIR must let it through (a clone made
      # with `mktemp -d` is mode 700, for one).
      runuser -u postgres -- test -x "$dir" || {
        echo "pg.sh: the postgres user cannot reach $dir; make the folders above it" \
          "searchable (chmod o+x) or set BENCH_WORK to a folder it can reach" >&2
        exit 1
      }
    fi
    as_pg "$bin/initdb" -D "$dir/data" -U ita -A trust -E UTF8 --locale=C.UTF-8 --no-sync --no-instructions \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    port=$(free_port)
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o \
      "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
       -c full_page_writes=off -c shared_buffers=512MB -c max_wal_size=16GB -c max_connections=300 \
       -c work_mem=64MB -c maintenance_work_mem=1GB" start >/dev/null ||
      { cat "$dir/server.log" >&2; exit 1; }
    echo "$port" >"$dir/port"
    "$bin/psql" -q -h 127.0.0.1 -p "$port" -U ita -d postgres -c "CREATE DATABASE ita" >/dev/null
    echo "postgresql://ita@127.0.0.1:$port/ita"
    ;;
  stop)
    if [[ -d $dir/data ]]; then
      as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: pg.sh start|stop DIR" >&2
    exit 2
    ;;
esac
