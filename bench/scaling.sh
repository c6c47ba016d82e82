#!/usr/bin/env bash
# N stateless `ita serve` processes behind nginx on one PostgreSQL, on loopback (docs/scaling.md).
#
#   bash bench/scaling.sh RELEASE_BUILD_DIR
#
# Starts a throwaway PostgreSQL cluster (bench/pg.sh), SCALING_PROCESSES (2) `ita serve`
# processes on it and nginx in front of them, then: creates a round through nginx, POSTs complete
# IIT responses through nginx with wrk for SCALING_SECONDS (10), checks that every 201 is a stored
# response and how the requests spread over the processes, measures one process alone for
# comparison, stops one process and checks that nginx keeps serving, and finally shows what the
# login rate limiter sees behind a proxy. Everything is removed at the end.
set -euo pipefail

rel=${1:?usage: bench/scaling.sh RELEASE_BUILD_DIR}
ita=$(cd "$rel" && pwd)/ita
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
n=${SCALING_PROCESSES:-2}
secs=${SCALING_SECONDS:-10}
conns=${SCALING_CONNECTIONS:-64}
work=${SCALING_WORK:-$repo/build/scaling-work}

for tool in nginx wrk curl psql python3; do
  command -v "$tool" >/dev/null || { echo "scaling: $tool is missing (apt-get install nginx-light wrk curl)" >&2; exit 77; }
done

rm -rf "$work"
mkdir -p "$work/nginx-tmp"
chmod 777 "$work/nginx-tmp"
pids=()
cleanup() {
  [[ -f $work/nginx.pid ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  bash "$here/pg.sh" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 100); do curl -sf "$1" >/dev/null && return 0; sleep 0.1; done; echo "scaling: $1 does not answer" >&2; exit 1; }
wrk_line() {  # requests/s and p99 of a wrk report
  python3 -c '
import re, sys
t = sys.stdin.read()
rps = re.search(r"Requests/sec:\s+([\d.]+)", t).group(1)
p99 = re.search(r"^\s+99%\s+(\S+)", t, re.M).group(1)
non = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", t)
req = re.search(r"(\d+) requests in", t).group(1)
print(f"{rps} requests/s, p99 {p99}, {req} requests, {non.group(1) if non else 0} not 2xx")'
}

url=$(bash "$here/pg.sh" start "$work/pg")
echo "scaling: PostgreSQL $url"
echo "bench-password-1234" | "$ita" user add admin@scale.test --role admin --password-stdin --db "$url" >/dev/null
token=$("$ita" token create --user admin@scale.test --db "$url" | tail -1)

front=$(free_port)
servers=""
ports=()
for i in $(seq "$n"); do
  port=$(free_port)
  ports+=("$port")
  # --survey-rate 0: wrk's every request comes from one address (the survey rate limit's key).
  "$ita" serve --db "$url" --port "$port" --base-url "http://127.0.0.1:$front" --survey-rate 0 \
    >"$work/serve-$i.log" 2>&1 &
  pids+=($!)
  servers+="    server 127.0.0.1:$port max_fails=1 fail_timeout=5s;"$'\n'
done
for port in "${ports[@]}"; do wait_http "http://127.0.0.1:$port/healthz"; done

user_line=""
[[ $(id -u) == 0 ]] && user_line="user nobody nogroup;"
cat >"$work/nginx.conf" <<EOF
$user_line
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 2048; }
http {
  # No access log: a log of client addresses and times next to a round's responses would undo
  # the survey's anonymity. The test logs only which process answered, with no address or time.
  access_log off;
  log_format upstream '\$upstream_addr \$status';
  client_body_temp_path $work/nginx-tmp/body;
  proxy_temp_path $work/nginx-tmp/proxy;
  fastcgi_temp_path $work/nginx-tmp/fastcgi;
  uwsgi_temp_path $work/nginx-tmp/uwsgi;
  scgi_temp_path $work/nginx-tmp/scgi;
  upstream openita {
    least_conn;
$servers    keepalive 64;
  }
  server {
    listen 127.0.0.1:$front;
    client_max_body_size 1m;
    location / {
      proxy_pass http://openita;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      # Retry on another process only when this one could not be reached: a POST that reached
      # a process is never sent twice (nginx does not retry non-idempotent requests by default).
      proxy_next_upstream error timeout;
      access_log $work/upstream.log upstream;
    }
  }
}
EOF
nginx -t -p "$work" -c "$work/nginx.conf" >/dev/null 2>&1 || { nginx -t -p "$work" -c "$work/nginx.conf"; exit 1; }
nginx -p "$work" -c "$work/nginx.conf"
base="http://127.0.0.1:$front"
wait_http "$base/healthz"
echo "scaling: nginx on $base in front of $n processes (ports ${ports[*]})"

api() { curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$2" "$base$1"; }
agency=$(api /api/v1/agencies '{"name":"เทศบาลตำบลทดสอบ","district":"เมือง","province":"น่าน","type":"เทศบาลตำบล"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
submit=$(api /api/v1/rounds "{\"agency_id\":$agency,\"edition\":\"2564\",\"staff_count\":1000000,\"service_users\":1000000,\"access_codes\":false}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["api"]["iit"])')  # /api/v1/s/{token}/responses
python3 "$here/answers_body.py" "$repo/editions/2564.json" iit >"$work/body.json"
: >"$work/upstream.log"

echo "scaling: wrk -c$conns -d${secs}s POST $submit through nginx:"
ITA_BENCH_BODY=$work/body.json wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$here/submit.lua" \
  "$base$submit" | tee "$work/wrk-nginx.txt" | wrk_line
stored=$(psql -X -At "$url" -c "SELECT count(*) FROM responses")
echo "scaling: stored responses: $stored"
echo "scaling: requests answered per process (from nginx's upstream log):"
sort "$work/upstream.log" | uniq -c | sed 's/^/  /'

echo "scaling: the same load on process 1 alone, without nginx:"
ITA_BENCH_BODY=$work/body.json wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$here/submit.lua" \
  "http://127.0.0.1:${ports[0]}$submit" | wrk_line

echo "scaling: stopping process 1; 50 submissions through nginx:"
kill "${pids[0]}"
wait "${pids[0]}" 2>/dev/null || true
ok=0
for _ in $(seq 50); do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d @"$work/body.json" \
    "$base$submit")
  [[ $code == 201 ]] && ok=$((ok + 1))
done
echo "  $ok of 50 stored"

echo "scaling: login rate limiting behind the proxy (10 wrong passwords for one account, then the right one for another):"
"$ita" user add second@scale.test --role viewer --agency "$agency" --password-stdin --db "$url" <<<"second-password-1234" >/dev/null
login() {  # email password → HTTP status of the login POST
  local jar=$work/jar-$RANDOM
  local csrf
  csrf=$(curl -s -c "$jar" "$base/login" | python3 -c 'import re,sys; m=re.search(r"name=\"csrf\" value=\"([^\"]+)\"", sys.stdin.read()); print(m.group(1) if m else "")')
  curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" --data-urlencode "email=$1" --data-urlencode "password=$2" \
    --data-urlencode "csrf=$csrf" "$base/login"
}
for _ in $(seq 10); do login admin@scale.test wrong-password >/dev/null; done
echo "  another user's correct login now answers HTTP $(login second@scale.test second-password-1234)" \
  "(303 = logged in; 429/403 = refused: every client shares nginx's address 127.0.0.1)"
