#!/bin/sh
# Run at boot by a real systemd (PID 1 of the Debian root, booted by systemd-nspawn): the
# kiosk's shipped user units in the kiosk user's own manager, offscreen (no panel here). Kills
# the kiosk, freezes it (a hung UI thread: no more pings), then breaks its settings until the
# start limit; writes "units: ..." lines to /var/tmp/units.out and powers the machine off.
set -u
out=/var/tmp/units.out
say() { echo "units: $*" >> "$out"; }
: > "$out"
trap 'systemctl poweroff' EXIT
uid=$(id -u kiosk)
# As the kiosk user, through its manager's own socket (a kiosk has no user D-Bus).
user() { runuser -u kiosk -- env XDG_RUNTIME_DIR="/run/user/$uid" systemctl --user "$@"; }
show() { user show -P "$2" "$1"; }
state_is() { [ "$(show "$1" ActiveState)" = "$2" ]; }
wait_for() {  # wait_for SECONDS COMMAND...: until the command succeeds
  limit=$1; shift; i=0
  until "$@" >/dev/null 2>&1; do
    i=$((i + 1)); [ "$i" -gt $((limit * 4)) ] && return 1; sleep 0.25
  done
}
active_other_than() { [ "$(show kiosk.service ActiveState)" = active ] && [ "$(show kiosk.service MainPID)" != "$1" ] && [ "$(show kiosk.service MainPID)" != 0 ]; }

loginctl enable-linger kiosk
wait_for 60 systemctl is-active "user@$uid.service" || { say "no user manager"; exit 1; }
say "user manager: $(systemctl is-active "user@$uid.service")"
user start kiosk.service  # returns once READY=1 came: the window has painted
say "started: $(show kiosk.service ActiveState) $(show kiosk.service SubState)"
first=$(show kiosk.service MainPID)
sleep 5  # longer than WatchdogSec: the UI thread's pings keep it
say "after 5 s: $(show kiosk.service ActiveState) restarts $(show kiosk.service NRestarts)"

before=$(date +%s%N)
kill -KILL "$first"
wait_for 30 active_other_than "$first" && say "killed: active again in $(( ($(date +%s%N) - before) / 1000000 )) ms, restarts $(show kiosk.service NRestarts)"
second=$(show kiosk.service MainPID)

before=$(date +%s%N)
kill -STOP "$second"  # every thread stops, the UI thread's pings with them
wait_for 30 active_other_than "$second" && say "frozen: active again in $(( ($(date +%s%N) - before) / 1000000 )) ms, restarts $(show kiosk.service NRestarts)"
if journalctl -q --no-pager | grep -q "kiosk.service: Watchdog timeout"; then
  say "watchdog timeout in the journal"
fi

# A setting the kiosk refuses: each start fails, until the start limit.
cp /etc/base-station-kiosk/kiosk.toml /var/tmp/kiosk.toml.good
printf '[screen]\ninactivity_seconds = 5\n' >> /etc/base-station-kiosk/kiosk.toml
user restart kiosk.service 2>/dev/null  # as after a change of settings; the start fails
wait_for 60 state_is kiosk.service failed
say "bad setting: kiosk $(show kiosk.service ActiveState) after restarts $(show kiosk.service NRestarts)"
wait_for 60 state_is kiosk-out-of-service.service active
say "out of service: $(show kiosk-out-of-service.service ActiveState)"
cp /var/tmp/kiosk.toml.good /etc/base-station-kiosk/kiosk.toml
user stop kiosk-out-of-service.service kiosk.service
loginctl disable-linger kiosk
say "done"
