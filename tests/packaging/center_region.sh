#!/bin/sh
# Run as root inside the Debian root, in a network and mount namespace of its own (loopback
# only): the region's center as its package installed it, on PostgreSQL, behind nginx with the
# certificate made at install; then a kiosk enrolled through it that must reach it, signed, over
# TLS. Prints "region: ..." lines the test reads; stops everything it started.
set -eu
say() { echo "region: $*"; }
ETC=/etc/base-station-center
UNIT=/usr/lib/systemd/system/base-station-center.service
PG=$(ls -d /usr/lib/postgresql/*/bin | tail -1)
PGVERSION=$(basename "$(dirname "$PG")")

stop() {
  nginx -s stop 2>/dev/null || true
  [ -n "${center:-}" ] && kill "$center" 2>/dev/null && wait "$center" 2>/dev/null || true
  pkill -u kiosk-center 2>/dev/null || true  # nothing of the center outlives the test
  runuser -u postgres -- "$PG/pg_ctl" -D "/var/lib/postgresql/$PGVERSION/main" -m fast stop \
      >/dev/null 2>&1 || true
}
trap stop EXIT

# PostgreSQL as its service runs it, then the database as the engineer makes it (twice: the
# second changes nothing).
install -d -o postgres -g postgres /run/postgresql
runuser -u postgres -- "$PG/pg_ctl" -D "/var/lib/postgresql/$PGVERSION/main" -w -l /tmp/postgres.log \
    -o "-c config_file=/etc/postgresql/$PGVERSION/main/postgresql.conf" start >/dev/null
/usr/lib/base-station-center/setup-database
/usr/lib/base-station-center/setup-database

# The center as its unit says: its settings and secrets, its user, its command line.
set -a; . "$ETC/center.env"; . "$ETC/secrets.env"; set +a
command=$(sed -n 's/^ExecStart=//p' "$UNIT")
eval "exec runuser -u kiosk-center -- $command" >/tmp/center.log 2>&1 &
center=$!
nginx -t -q
nginx

get() {  # the HTTP status of an https request to the center, checking its certificate
  python3 - "$1" <<'PY'
import ssl, sys, urllib.error, urllib.request
context = ssl.create_default_context(cafile="/etc/base-station-center/tls/center.crt")
try:
    print(urllib.request.urlopen(sys.argv[1], context=context, timeout=5).status)
except urllib.error.HTTPError as error:
    print(error.code)
except Exception as error:
    print(f"none {type(error).__name__}")
PY
}
i=0
until [ "$(get https://localhost/v1/health)" = 200 ]; do
  i=$((i + 1))
  if [ "$i" -gt 120 ]; then say "the center did not answer"; cat /tmp/center.log; exit 1; fi
  sleep 0.5
done
say "health through nginx: 200"
say "simulators: $(get https://localhost/sim/wallets/ledger)"
say "plain http: $(python3 -c "import urllib.request as u
try: print(u.urlopen('http://localhost/v1/health', timeout=5).status)
except Exception as e: print(getattr(e, 'code', type(e).__name__))")"
master=$(pgrep -P "$center")  # runuser's one child: uvicorn's supervisor
workers=$(pgrep -P "$master" -f "spawn_main" | wc -l)
say "workers: $workers"
# The token from a file, so this grep's own command line does not hold it.
echo "$KIOSK_CENTER_OPERATOR_TOKEN" > /tmp/token
if grep -q -F -f /tmp/token /proc/[0-9]*/cmdline 2>/dev/null; then
  say "operator token on a command line"
fi
rm -f /tmp/token

# A kiosk of the region: enrolled with a token from the center's own command, then its update
# check (a signed heartbeat, over TLS, through nginx, into PostgreSQL).
token=$(runuser -u kiosk-center -- /usr/bin/kiosk-center enroll-token --kiosk-id region-kiosk-01)
cat > /tmp/region-kiosk.toml <<TOML
[kiosk]
id = "region-kiosk-01"
data_dir = "/tmp/region-kiosk"
[center]
url = "https://localhost"
ca_bundle = "$ETC/tls/center.crt"
TOML
chmod 0644 /tmp/region-kiosk.toml
as_kiosk() {
  runuser -u kiosk -- env HOME=/tmp KIOSK_CONFIG=/tmp/region-kiosk.toml QT_QPA_PLATFORM=offscreen "$@"
}
as_kiosk /usr/bin/kiosk enroll --token "$token"
as_kiosk /usr/bin/kiosk update check --timeout 60
say "seen: $(runuser -u postgres -- psql -X -d center -tAc "SELECT kiosk_id || ' ' || version FROM kiosks_seen")"
say "schema: $(runuser -u postgres -- psql -X -d center -tAc "SELECT version_num FROM alembic_version")"
say "tables owned by: $(runuser -u postgres -- psql -X -d center -tAc "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")"
