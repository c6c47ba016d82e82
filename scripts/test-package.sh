#!/usr/bin/env bash
# The deployment test (CI, as root on Debian bookworm): build the Debian package, install it with
# apt, run ita serve under the shipped configuration (systemd when it is PID 1, otherwise the
# unit's own command lines as its user), put nginx with a self-signed certificate in front,
# submit a survey over HTTPS through nginx, upgrade to version N+1 over the data (the start keeps
# a backup first), and restore that backup. Exit 77 (skipped) when not root or without apt.
# Whatever the outcome, it purges the package and its data again: the next run (CI reuses
# machines) must find the machine as this run found it.
# Usage: test-package.sh RELEASE_BUILD_DIR
set -euo pipefail
build=$(cd "${1:?usage: test-package.sh RELEASE_BUILD_DIR}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
if [[ $(id -u) != 0 ]] || ! command -v apt-get >/dev/null; then
  echo "test-package: skipped (needs root and apt-get)"
  exit 77
fi
if [[ -e /var/lib/openita || -e /etc/openita ]]; then
  # This test installs the package on the machine it runs on: never over someone's data.
  [[ "${ITA_PACKAGE_TEST_WIPE:-0}" == 1 ]] || {
    echo "test-package: /var/lib/openita exists; set ITA_PACKAGE_TEST_WIPE=1 to purge it first" >&2
    exit 1
  }
  apt-get purge -y -qq openita >/dev/null 2>&1 || true
  rm -rf /var/lib/openita /etc/openita
fi
work=$(mktemp -d)
port=18080
https_port=18443
pid=""
installed=0
cleanup() {  # keeps the script's exit status
  local status=$?
  if [[ -n "$pid" ]]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  if [[ -f $work/nginx/nginx.pid ]]; then
    nginx -p "$work/nginx" -c nginx.conf -s quit 2>/dev/null || true
  fi
  if [[ $installed == 1 ]]; then
    if systemd_running; then systemctl stop openita openita-backup.timer 2>/dev/null || true; fi
    apt-get purge -y -qq openita >/dev/null 2>&1 || true
    rm -rf /var/lib/openita /etc/openita
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
fail() { echo "test-package: FAILED: $*" >&2; exit 1; }
step() { echo "test-package: $*"; }

DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light openssl curl python3 >/dev/null

package() {  # package VERSION: builds openita_VERSION_*.deb in $work
  (cd "$build" && cpack -G DEB -D CPACK_PACKAGE_VERSION="$1" -D CPACK_PACKAGE_DIRECTORY="$work" \
    >/dev/null 2>&1)
  ls "$work"/openita_"$1"_*.deb
}

systemd_running() { [[ -d /run/systemd/system ]]; }

# Starts the service as the unit does: ExecStartPre, ExecStart in the background, ExecStartPost.
start_service() {
  if systemd_running; then systemctl restart openita; return; fi
  local unit=/lib/systemd/system/openita.service
  set -a
  . /etc/openita/openita.conf
  set +a
  local line
  line=$(sed -n 's/^ExecStartPre=//p' "$unit")
  runuser -u openita -- sh -c "$line"
  line=$(sed -n 's/^ExecStart=//p' "$unit")
  runuser -u openita -- sh -c "exec $line" >"$work/serve.log" 2>&1 &
  pid=$!
  line=$(sed -n 's/^ExecStartPost=//p' "$unit")
  runuser -u openita -- sh -c "$line" || { cat "$work/serve.log"; fail "not ready"; }
}

stop_service() {
  if systemd_running; then systemctl stop openita; return; fi
  kill "$pid" && wait "$pid" || true
  pid=""
}

step "package 0.9.0 and 0.9.1"
deb_n=$(package 0.9.0)
deb_n1=$(package 0.9.1)
info=$(dpkg-deb -I "$deb_n")
grep -q 'Depends:.*fonts-thai-tlwg' <<<"$info" || fail "no dependency on fonts-thai-tlwg"
grep -q 'Depends:.*poppler-utils' <<<"$info" || fail "no dependency on poppler-utils (PDF evidence)"
grep -q 'Depends:.*libpq5' <<<"$info" || fail "no shared-library dependencies"

step "install $deb_n"
installed=1
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb_n" >/dev/null
getent passwd openita >/dev/null || fail "no system user openita"
[[ $(stat -c %U:%a /var/lib/openita) == openita:750 ]] || fail "data folder ownership"
[[ $(stat -c %U:%G:%a /etc/openita/openita.conf) == root:openita:640 ]] || fail "conf permissions"
if command -v systemd-analyze >/dev/null; then  # the units' syntax and commands, without systemd
  verify=$(systemd-analyze verify /lib/systemd/system/openita.service \
    /lib/systemd/system/openita-backup.service /lib/systemd/system/openita-backup.timer 2>&1) ||
    fail "systemd-analyze verify: $verify"
  [[ -z $verify ]] || fail "systemd-analyze verify: $verify"
  # The sandbox as systemd rates its exposure (0 sealed … 10 fully exposed; offline: no systemd
  # needed): openita.service at most 2.5, the backup unit (no system-call filter) at most 4.0.
  for rated in openita.service:25 openita-backup.service:40; do
    unit=${rated%%:*} threshold=${rated##*:}
    exposure=$(systemd-analyze security --offline=true --threshold="$threshold" \
      "/lib/systemd/system/$unit" 2>&1) ||
      fail "systemd-analyze security $unit: above $threshold/10: $(tail -n 1 <<<"$exposure")"
  done
fi
# The test's own ports and public address.
sed -i "s/^OPENITA_PORT=.*/OPENITA_PORT=$port/; s#^OPENITA_BASE_URL=.*#OPENITA_BASE_URL=https://localhost:$https_port#" \
  /etc/openita/openita.conf
db=$(sed -n 's/^OPENITA_DB=//p' /etc/openita/openita.conf)

step "first run: openita-setup creates the administrator (no default password)"
printf 'short\n' | openita-setup --email admin@deploy.test --password-stdin >/dev/null 2>&1 &&
  fail "a too short password was accepted"
printf 'a-long-deploy-password-2569\n' | openita-setup --email admin@deploy.test --password-stdin
token=$(runuser -u openita -- ita token create --user admin@deploy.test --db "$db" | tail -n 1)
[[ $(stat -c %U "$db") == openita ]] || fail "the database does not belong to openita"
start_service

step "nginx in front, HTTPS with a self-signed certificate"
mkdir -p "$work/nginx/logs"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost -keyout "$work/nginx/key.pem" -out "$work/nginx/cert.pem" \
  2>/dev/null
site=/usr/share/doc/openita/examples/nginx-openita.conf
[[ -f $site ]] || fail "the nginx example is not installed"
sed -e "s/server 127.0.0.1:8080;/server 127.0.0.1:$port;/" \
  -e "s/listen 443 ssl http2;/listen $https_port ssl http2;/; /listen \[::\]:/d" \
  -e "s/listen 80;/listen 18081;/" -e "s/server_name ita.example.go.th;/server_name localhost;/" \
  -e "s#/etc/ssl/certs/openita.crt#$work/nginx/cert.pem#; s#/etc/ssl/private/openita.key#$work/nginx/key.pem#" \
  "$site" >"$work/nginx/site.conf"
cat >"$work/nginx/nginx.conf" <<EOF
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events {}
http {
  access_log $work/nginx/logs/access.log;
  include /etc/nginx/mime.types;
  include $work/nginx/site.conf;
}
EOF
nginx -p "$work/nginx" -c nginx.conf -t 2>/dev/null || nginx -p "$work/nginx" -c nginx.conf -t
nginx -p "$work/nginx" -c nginx.conf
base="https://localhost:$https_port"
curl -fsS --cacert "$work/nginx/cert.pem" "$base/healthz" >/dev/null || fail "healthz over HTTPS"
headers=$(curl -fsSI --cacert "$work/nginx/cert.pem" "$base/login")
grep -qi '^strict-transport-security: max-age=31536000' <<<"$headers" || fail "no HSTS header"
[[ $(curl -s -o /dev/null -w '%{http_code}' "http://localhost:18081/login") == 301 ]] ||
  fail "plain HTTP does not redirect"

step "a survey answered over HTTPS through nginx"
python3 "$root/scripts/survey_over_https.py" "$base" "$work/nginx/cert.pem" "$token" >"$work/round.json"
round=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$work/round.json")
count() {
  curl -fsS --cacert "$work/nginx/cert.pem" -H "Authorization: Bearer $token" \
    "$base/api/v1/rounds/$round" | python3 -c 'import json,sys; print(sum(p["count"] for p in json.load(sys.stdin)["progress"]))'
}
[[ $(count) == 1 ]] || fail "the response was not stored"

step "upgrade to $deb_n1 over the data"
stop_service
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb_n1" >/dev/null
[[ $(dpkg-query -W -f '${Version}' openita) == 0.9.1 ]] || fail "not upgraded"
grep -q "^OPENITA_PORT=$port" /etc/openita/openita.conf || fail "the upgrade replaced the configuration"
start_service
backups=$(ls -1t /var/lib/openita/backups/before-start-*.backup)
backup=${backups%%$'\n'*}
[[ -s $backup ]] || fail "no backup before the upgraded start"
[[ $(count) == 1 ]] || fail "data lost in the upgrade"

step "restore the backup"
python3 "$root/scripts/survey_over_https.py" "$base" "$work/nginx/cert.pem" "$token" --round "$round" >/dev/null
[[ $(count) == 2 ]] || fail "the second response was not stored"
stop_service
runuser -u openita -- ita restore --db "$db" --in "$backup" --force
start_service
[[ $(count) == 1 ]] || fail "the restore did not bring back the backup's data"

step "scheduled backup with retention"
set -a; . /etc/openita/openita.conf; set +a
for d in 01 02 03 04 05 06 07 08 09; do touch -d "2026-01-$d" "/var/lib/openita/backups/daily-2026-01-$d.backup"; done
runuser -u openita -- /usr/lib/openita/openita-backup scheduled >/dev/null
[[ $(ls /var/lib/openita/backups/daily-*.backup | wc -l) == 7 ]] || fail "daily retention is not 7"
echo "test-package: all passed (package, install, setup, HTTPS survey, upgrade, restore, backups)"
