# The kiosk session as packaged (deploy/systemd/sunshine-kiosk.service), on the real parts:
# 1. `systemd-analyze verify` passes and `systemd-analyze security` rates the unit OK or better;
# 2. the unit's own command line (ExecStart, read from the file) under headless cage, as the
#    unprivileged user the unit names: the kiosk's screenshot of the attract screen matches the
#    Xvfb one (image_diff) and a replayed tap reaches the home screen;
# 3. under a real systemd (PID 1 of a PID, mount and cgroup namespace of its own, starting only
#    journald and this unit): the unit becomes active (READY=1 after the first frame) and stays so
#    while idle (WATCHDOG=1 keeps coming); SIGKILL of the kiosk, and a main loop that stops
#    (KIOSK_FAULT_HANG_AFTER_MS), both bring it back within the watchdog time; a config with an
#    unknown key gives one clear journal line per start and the start limit ends the restarts.
# Needs root (it makes the unit's user, as the package does, and the namespaces). CI runs as root.
set -euo pipefail
: "${KIOSK_BIN:?}" "${KIOSK_SRC:?}"
unit_file=$KIOSK_SRC/deploy/systemd/sunshine-kiosk.service
fail() { echo "FAIL: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "needs root: it makes the kiosk user and runs systemd in namespaces"

# ---- 1. the unit file ----
systemd-analyze verify "$unit_file" || fail "systemd-analyze verify"
rating=$(systemd-analyze security --offline=true "$unit_file" 2>&1 | sed -n 's/.*Overall exposure level for [^:]*: //p')
echo "security: $rating"
case $rating in *SAFE* | *OK*) ;; *) fail "systemd-analyze security: $rating (want OK or better)" ;; esac
echo "ok - the unit verifies; exposure $rating"

user=$(sed -n 's/^User=//p' "$unit_file")
getent passwd "$user" >/dev/null ||
    useradd --system --user-group --home-dir /var/lib/kiosk --no-create-home \
        --shell /usr/sbin/nologin "$user"
exec_start=$(sed -n 's/^ExecStart=//p' "$unit_file")
watchdog_s=$(sed -n 's/^WatchdogSec=//p' "$unit_file")
restart_s=$(sed -n 's/^RestartSec=//p' "$unit_file")
burst=$(sed -n 's/^StartLimitBurst=//p' "$unit_file")
[[ $exec_start == *" /usr/bin/kiosk --config /etc/kiosk/kiosk.toml"* ]] ||
    fail "ExecStart does not run /usr/bin/kiosk --config /etc/kiosk/kiosk.toml: $exec_start"

# Everything the unprivileged user reads is copied into a folder it can reach (the build tree may
# be under /root).
work=$(mktemp -d /tmp/kiosk-session-XXXXXX)
cg=""
sd_pid=""
cleanup() {
    [ -z "$sd_pid" ] || kill -KILL "$sd_pid" 2>/dev/null || true
    if [ -n "$cg" ] && [ -d "$cg" ]; then
        for _ in $(seq 50); do
            find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null || true
            [ -d "$cg" ] || break
            sleep 0.1
        done
    fi
    rm -rf "$work"
}
trap cleanup EXIT
chmod 755 "$work"
source "$KIOSK_SRC/tests/ui/kiosk_state.sh"
export KIOSK_NOW=2026-11-27T10:00:00Z
kiosk_sample_state "$work" auto
unset KIOSK_NOW
cp "$KIOSK_BIN/kiosk" "$KIOSK_SRC/tests/session/attract_tap.replay" "$work/"
mkdir -m 700 "$work/run"
chown -R "$user:" "$work"

# ---- 2. the unit's command line under headless cage ----
shots=$KIOSK_BIN/ui-shots/session-cage
rm -rf "$shots"
mkdir -p "$shots"
chown "$user:" "$shots"
cmd=${exec_start/\/usr\/bin\/kiosk /$work/kiosk }
cmd=${cmd/\/etc\/kiosk\/kiosk.toml/$work/kiosk.toml}
read -r -a argv <<<"$cmd"
echo "under cage: ${argv[*]} --replay ..."
rc=0
timeout 120 runuser -u "$user" -- env -i PATH=/usr/bin:/bin HOME="$work" XDG_RUNTIME_DIR="$work/run" \
    WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
    DBUS_SESSION_BUS_ADDRESS=disabled: KIOSK_TRACE=1 \
    "${argv[@]}" --replay "$work/attract_tap.replay" --screenshot-dir "$shots" \
    --state-dump "$shots/state.json" >"$work/cage.log" 2>&1 || rc=$?
# (cage exits 0 whatever its client did: the screenshots and the state dump are the evidence.)
grep -q "drawing through Xwayland" "$work/cage.log" ||
    { cat "$work/cage.log"; fail "the kiosk did not choose Xwayland for the software renderer"; }
[ "$rc" -eq 0 ] && [ -s "$shots/attract.png" ] && [ -s "$shots/home.png" ] &&
    python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); sys.exit(s["screen"] != "home" or bool(s["failure"]))' "$shots/state.json" ||
    { cat "$work/cage.log"; fail "under cage: no attract screen, or the tap did not reach home (exit $rc)"; }
grep -E "^trace: (first-frame-ms|software)" "$work/cage.log" || true
size=$(python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print("%dx%d" % struct.unpack(">II", d[16:24]))' "$shots/attract.png")
echo "ok - under cage ($size) the kiosk drew the attract screen and a tap reached home"
bash "$KIOSK_SRC/tests/ui/run_replay.sh" "$KIOSK_SRC/tests/session/attract_tap.replay" "$size" >/dev/null ||
    fail "the same replay under Xvfb"
for s in attract home; do
    "$KIOSK_BIN/image_diff" "$shots/$s.png" "$KIOSK_BIN/ui-shots/attract_tap-$size/$s.png" 0.005 ||
        fail "the $s screen under cage differs from the Xvfb one"
done
echo "ok - the screens under cage match the ones under Xvfb"
