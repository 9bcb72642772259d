# The kiosk session as packaged (deploy/systemd/sunshine-kiosk.service), on the real parts:
# 1. `systemd-analyze verify` passes and `systemd-analyze security` rates the unit OK or better;
# 2. the unit's own command line (ExecStart, read from the file) under headless cage, as the
#    unprivileged user the unit names: the kiosk's screenshot of the attract screen matches the
#    Xvfb one (image_diff) and a replayed tap reaches the home screen;
# 3. under a real systemd (PID 1 of namespaces of its own, starting only journald and this unit,
#    with its own /proc, /run, /dev, /tmp; the host's /tmp is checked untouched): the unit becomes
#    active (READY=1 after the first frame) and stays so while idle (WATCHDOG=1 keeps coming);
#    the kiosk user without the render group draws in software beside a render node it may not
#    open; SIGKILL of the kiosk, and a main loop that stops (KIOSK_FAULT_HANG_AFTER_MS), both
#    bring it back (RestartSec, WatchdogSec); a config with an unknown key gives one clear journal
#    line per start and the start limit ends the restarts. KIOSK_SESSION_SYSTEMD=0 skips part 3.
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
host_marker=""
cleanup() {
    [ -z "$sd_pid" ] || kill -KILL "$sd_pid" 2>/dev/null || true
    if [ -n "$host_marker" ]; then
        [ -f "$host_marker" ] || echo "FAIL: the host's /tmp was touched: $host_marker is gone" >&2
        rm -f "$host_marker"
    fi
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

# ---- 3. under a real systemd manager ----
# No systemd runs this machine or CI's container (PID 1 is the container's own init), so the test
# boots one: PID 1 of new PID, mount, cgroup, UTS, IPC and network namespaces, in a cgroup of its
# own on the cgroup2 hierarchy, with its own /proc, /run, /var/lib, /tmp and /var/tmp. Only
# journald and the unit (with a drop-in for what a headless CI box lacks) are started; every boot
# step that would act on the machine (tmpfiles, sysctl, sysusers, ...) is masked, and a marker in
# the host's /tmp must survive. KIOSK_SESSION_SYSTEMD=0 leaves this part out.
if [ "${KIOSK_SESSION_SYSTEMD:-1}" = 0 ]; then
    echo "skip - the systemd part (KIOSK_SESSION_SYSTEMD=0)"
    exit 0
fi
# The manager and its namespace run on the machine's clock, not under libfaketime (CI's dated
# passes preload it into everything ctest starts; a PID 1 whose every process needs faketime's
# /dev/shm semaphore does not boot). Nothing here reads the date: the kiosk's is pinned by
# KIOSK_NOW in the drop-in, and only durations are measured.
unset LD_PRELOAD FAKETIME FAKETIME_SHARED
cg_root=$(findmnt -n -t cgroup2 -o TARGET | head -1)
[ -n "$cg_root" ] || fail "no cgroup2 hierarchy mounted: systemd cannot run here"
host_marker=$(mktemp /tmp/kiosk-session-marker-XXXXXX)  # (cleanup checks it too, on failure)
check_marker() { [ -f "$host_marker" ] || fail "the host's /tmp was touched: $host_marker is gone"; }
test_watchdog_s=6
cg=$cg_root/kiosk-session-test-$$
mkdir "$cg"
sd=$work/systemd
mkdir -p "$sd/units/sunshine-kiosk.service.d" "$sd/lib/kiosk-test"
cp "$unit_file" "$sd/units/"
cp "$work/kiosk" "$sd/lib/kiosk-test/"
cp -r "$work/keys" "$sd/lib/kiosk-test/"
cp -a "$work/state" "$sd/lib/kiosk-state"
# The config as installed, pointing at the state directory the unit makes.
sed -e "s|^state_dir = .*|state_dir = \"/var/lib/kiosk\"|" -e "s|$work/keys|/var/lib/kiosk-test/keys|" \
    "$work/kiosk.toml" >"$sd/lib/kiosk-test/kiosk.toml"
cp "$sd/lib/kiosk-test/kiosk.toml" "$sd/lib/kiosk-test/bad.toml"
sed -i 's/^\[ui\]$/[ui]\nbrightness = 80/' "$sd/lib/kiosk-test/bad.toml"
cmd=${exec_start/\/usr\/bin\/kiosk /\/var\/lib\/kiosk-test\/kiosk }
cmd=${cmd/\/etc\/kiosk\/kiosk.toml/\/var\/lib\/kiosk-test\/kiosk.toml}
cat >"$sd/units/sunshine-kiosk.service.d/test.conf" <<CONF
# What a headless CI box lacks: a display (cage's headless backend), a VT, logind. No
# sysinit.target (the host's boot steps). A shorter watchdog, so the test is short; no core
# files from the watchdog's SIGABRT.
[Unit]
DefaultDependencies=no
ConditionPathExists=
[Service]
ExecStart=
ExecStart=$cmd
Environment=WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1
Environment=KIOSK_NOW=2026-11-27T10:00:00Z KIOSK_TRACE=1
WatchdogSec=$test_watchdog_s
LimitCORE=0
StandardInput=null
TTYReset=no
TTYVHangup=no
TTYVTDisallocate=no
CONF
cat >"$sd/units/session-test.target" <<'CONF'
[Unit]
Description=the session test: journald and the kiosk only
DefaultDependencies=no
Wants=systemd-journald.socket systemd-journald.service sunshine-kiosk.service
CONF
# Masked twice (runtime symlinks to /dev/null and systemd.mask= on the manager's command line):
# everything that would act on the machine rather than on this namespace.
masked="sysinit.target basic.target local-fs.target swap.target cryptsetup.target
    systemd-tmpfiles-setup.service systemd-tmpfiles-setup-dev.service systemd-tmpfiles-clean.timer
    systemd-tmpfiles-clean.service systemd-sysusers.service systemd-sysctl.service
    systemd-remount-fs.service systemd-modules-load.service systemd-journal-flush.service
    systemd-udevd.service systemd-random-seed.service systemd-update-utmp.service
    systemd-machine-id-commit.service systemd-firstboot.service systemd-binfmt.service
    systemd-hwdb-update.service systemd-journal-catalog-update.service ldconfig.service
    systemd-update-done.service systemd-pstore.service systemd-boot-update.service
    systemd-logind.service dbus.service dbus.socket getty@tty1.service tmp.mount"
masked=$(echo $masked)
: >"$sd/console.log"
cat >"$sd/boot.sh" <<BOOT
set -eu
# This namespace's own /proc: systemd finds the unit of a notify message's sender (the kiosk,
# cage's child) through /proc/PID/cgroup, PID being a PID of this namespace; the host's /proc
# would name another process there, and READY=1 / WATCHDOG=1 would be dropped.
mount -t proc -o nosuid,nodev,noexec proc /proc
mount -t tmpfs -o mode=755 tmpfs /run
# A /dev of its own (the host's nodes bound in) with a GPU render node only root may open, as on
# a machine whose kiosk user is not in the render group (no SupplementaryGroups in the unit; the
# package's postinst adds the groups): the kiosk must see that and draw in software.
mkdir /run/host-dev
mount --rbind /dev /run/host-dev
mount -t tmpfs -o mode=755 tmpfs /dev
for e in /run/host-dev/*; do
    n=/dev/\${e##*/}
    [ "\$n" != /dev/dri ] || continue  # (the one below is ours, in this tmpfs)
    if [ -L "\$e" ]; then cp -P "\$e" "\$n"
    elif [ -d "\$e" ]; then mkdir "\$n"; mount --rbind "\$e" "\$n"
    else touch "\$n"; mount --bind "\$e" "\$n"; fi
done
mkdir /dev/dri
mknod -m 600 /dev/dri/renderD128 c 226 128
# PID 1 writes its log to /dev/console: a file here, not the machine's console.
mount --bind "$sd/console.log" /dev/console
mkdir -p /run/systemd/system /run/systemd/journald.conf.d
cp -r "$sd/units/." /run/systemd/system/
for unit in $masked; do ln -s /dev/null /run/systemd/system/\$unit; done
printf '[Journal]\nStorage=volatile\nReadKMsg=no\n' >/run/systemd/journald.conf.d/test.conf
mount -t tmpfs -o mode=755 tmpfs /var/lib
cp -r "$sd/lib/kiosk-test" /var/lib/
cp -a "$sd/lib/kiosk-state" /var/lib/kiosk
mount -t cgroup2 cgroup2 /sys/fs/cgroup
# Last, as the files above came through the host's /tmp: a /tmp and /var/tmp of its own.
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=1777 tmpfs /var/tmp
export container=session-test
exec /lib/systemd/systemd --system --unit=session-test.target --log-target=journal \
    $(for u in $masked; do printf ' systemd.mask=%s' "$u"; done)
BOOT
(
    echo "$BASHPID" >"$cg/cgroup.procs"
    exec unshare --pid --fork --mount --cgroup --uts --ipc --net --propagation private \
        bash "$sd/boot.sh"
) >"$work/systemd.log" 2>&1 &
unshare_pid=$!
for _ in $(seq 100); do
    sd_pid=$(pgrep -P "$unshare_pid" || true)
    [ -n "$sd_pid" ] && [ -S "/proc/$sd_pid/root/run/systemd/private" ] && break
    sleep 0.2
done
[ -S "/proc/$sd_pid/root/run/systemd/private" ] || { cat "$work/systemd.log" "$sd/console.log"; fail "systemd did not start"; }
nsroot=/proc/$sd_pid/root
in_ns() { nsenter -t "$sd_pid" -a "$@"; }
for u in sysinit.target systemd-tmpfiles-setup.service systemd-sysctl.service systemd-sysusers.service; do
    [ "$(in_ns systemctl is-enabled "$u" 2>/dev/null || true)" = masked-runtime ] ||
        fail "$u is not masked in the test's systemd"
done
prop() { in_ns systemctl show -P "$1" sunshine-kiosk.service; }
kiosk_pid() {
    local p
    for p in $(cat "$cg/system.slice/sunshine-kiosk.service/cgroup.procs" 2>/dev/null); do
        [ "$(cat "/proc/$p/comm" 2>/dev/null)" = kiosk ] && echo "$p"
    done
    return 0
}
journal() { in_ns journalctl -D /run/log/journal -u sunshine-kiosk.service -o cat --no-pager; }
# wait_back OLD_PID MIN_RESTARTS SECONDS: until the unit is active (READY=1 came) with another
# kiosk than OLD_PID and at least MIN_RESTARTS automatic restarts.
wait_back() {
    local i p
    for i in $(seq $(($3 * 5))); do
        p=$(kiosk_pid)
        [ "$(prop ActiveState)" = active ] && [ "$(prop NRestarts)" -ge "$2" ] && [ -n "$p" ] &&
            [ "$p" != "$1" ] && return 0
        sleep 0.2
    done
    journal | tail -30
    fail "not back after $3 s: $(prop ActiveState)/$(prop SubState), NRestarts $(prop NRestarts)"
}
since() { python3 -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$1" "$(date +%s.%N)"; }
t0=$(date +%s.%N)
wait_back none 0 60
echo "ok - systemd: the unit is active (READY=1 after the first frame) in $(since "$t0") s"
journal | grep -E "^trace: first-frame-ms" | head -1 || true
journal | grep -q "systemd watchdog every ${test_watchdog_s}.0 s" ||
    { journal; fail "the kiosk did not see the watchdog"; }
# The kiosk user has no supplementary groups here (no video/render/input; the package's
# postinst adds them for a GPU): the session still runs.
first=$(kiosk_pid)
groups=$(sed -n 's/^Groups:\s*//p' "/proc/$first/status")
echo "kiosk's groups: ${groups:-none}"
journal | grep "renderD128 is not usable" | head -1 && journal | grep -q "^trace: software-ms" ||
    { journal | tail; fail "a render node the kiosk user may not open: not drawn in software"; }
echo "ok - without the render group the kiosk draws in software"

# Idle past the watchdog interval: still the same kiosk, and systemd's last-ping time moves on,
# so WATCHDOG=1 keeps coming.
ping0=$(prop WatchdogTimestampMonotonic)
sleep $((test_watchdog_s * 2))
ping1=$(prop WatchdogTimestampMonotonic)
echo "last WATCHDOG=1 taken $(((ping1 - ping0) / 1000)) ms later than $((test_watchdog_s * 2)) s before"
[ "$ping1" -gt "$ping0" ] && [ "$(kiosk_pid)" = "$first" ] && [ "$(prop NRestarts)" = 0 ] &&
    [ "$(prop ActiveState)" = active ] ||
    { journal | tail; fail "idle for $((test_watchdog_s * 2)) s, the kiosk was restarted"; }
echo "ok - idle for $((test_watchdog_s * 2)) s (WatchdogSec=$test_watchdog_s): the watchdog is fed"

kill -KILL "$first"
t0=$(date +%s.%N)
wait_back "$first" 1 $((restart_s + 30))
echo "ok - SIGKILL: back in $(since "$t0") s (RestartSec ${restart_s} s)"

# The loop stops 2 s after start; systemd's watchdog must notice and restart the unit.
printf '[Service]\nEnvironment=KIOSK_FAULT_HANG_AFTER_MS=2000\n' \
    >"$nsroot/run/systemd/system/sunshine-kiosk.service.d/fault.conf"
in_ns systemctl daemon-reload
in_ns systemctl reset-failed sunshine-kiosk.service
before=$(kiosk_pid)
in_ns systemctl restart sunshine-kiosk.service
wait_back "$before" 0 60
hung=$(kiosk_pid)
restarts=$(prop NRestarts)
for _ in $(seq 50); do journal | grep -q "the main loop stops here" && break; sleep 0.2; done
journal | grep -q "the main loop stops here" ||
    { journal | tail -20; prop Environment; fail "the hang seam did not fire"; }
t0=$(date +%s.%N)
rm "$nsroot/run/systemd/system/sunshine-kiosk.service.d/fault.conf"
in_ns systemctl daemon-reload
wait_back "$hung" $((restarts + 1)) $((test_watchdog_s + restart_s + 30))
in_ns journalctl -D /run/log/journal -o cat --no-pager | grep -i "watchdog timeout" | head -1 ||
    { in_ns journalctl -D /run/log/journal --no-pager | tail -40; cat "$sd/console.log"; fail "the manager did not log a watchdog timeout"; }
echo "ok - a hung main loop: killed by the watchdog and back $(since "$t0") s after it stopped" \
    "(WatchdogSec $test_watchdog_s s + RestartSec $restart_s s)"

# A config with an unknown key: one clear line per start, and the start limit ends the loop.
printf '[Service]\nExecStart=\nExecStart=%s\n' "${cmd/kiosk-test\/kiosk.toml/kiosk-test/bad.toml}" \
    >"$nsroot/run/systemd/system/sunshine-kiosk.service.d/zz-bad.conf"
in_ns systemctl daemon-reload
in_ns systemctl reset-failed sunshine-kiosk.service
in_ns systemctl restart --no-block sunshine-kiosk.service
t0=$(date +%s.%N)
# (After automatic restarts systemd 252 logs "Start request repeated too quickly" and leaves the
# unit failed with the last run's result, here 'protocol': cage ended before READY=1.)
limit_hit() { [ "$(prop ActiveState)" = failed ] && journal | grep -q "Start request repeated too quickly"; }
for _ in $(seq $(((burst * (restart_s + 5) + 30) * 2))); do
    limit_hit && break
    sleep 0.5
done
limit_hit || { journal | tail -20; fail "a bad config: not stopped by the start limit ($(prop ActiveState), $(prop Result))"; }
journal | grep "Start request repeated too quickly"
n=$(prop NRestarts)
sleep $((restart_s + 2))
[ "$(prop ActiveState)" = failed ] && [ "$(prop NRestarts)" = "$n" ] ||
    fail "a bad config: the unit started again after the start limit"
lines=$(journal | grep -c "unknown key" || true)
journal | grep "unknown key" | head -1
[ "$lines" -ge 1 ] && [ "$lines" -le "$burst" ] || fail "a bad config: $lines journal lines naming the key"
echo "ok - a bad config: $lines clear journal line(s), then the start limit stopped the restarts" \
    "after $(since "$t0") s"
kill -KILL "$sd_pid"
wait "$unshare_pid" 2>/dev/null || true
sd_pid=""
check_marker
rm -f "$host_marker"
host_marker=""
echo "ok - the host's /tmp is untouched"
