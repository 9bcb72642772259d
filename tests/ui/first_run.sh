# What a new user meets on the way, each checked against the real kiosk under Xvfb:
# --screenshot-dir names a folder that does not exist yet (it is made, as tools make their output
# folders); KIOSK_NOW pins the clock and the kiosk says so; a bad KIOSK_NOW is refused clearly.
set -euo pipefail
: "${KIOSK_BIN:?}" "${KIOSK_SRC:?}"
work=$(mktemp -d /tmp/kiosk-first-run-XXXXXX)
trap 'rm -rf "$work"' EXIT
source "$KIOSK_SRC/tests/ui/kiosk_state.sh"
kiosk_sample_state "$work" software
printf 'expect-screen "attract"\nshot "attract"\n' >"$work/one.replay"
export DBUS_SESSION_BUS_ADDRESS=disabled:
shots="$work/not/yet/there"
KIOSK_NOW=2027-03-01T08:00:00Z xvfb-run -a -n $((100 + RANDOM % 800)) -s "-screen 0 1280x720x24" \
    "$KIOSK_BIN/kiosk" --config "$work/kiosk.toml" --window 1280x720 --replay "$work/one.replay" \
    --screenshot-dir "$shots" 2>"$work/log" || { cat "$work/log"; echo "FAIL: the replay failed" >&2; exit 1; }
[ -s "$shots/attract.png" ] || { echo "FAIL: no screenshot in a folder that did not exist" >&2; exit 1; }
echo "ok - --screenshot-dir makes its folder"
grep -q "the clock is pinned to 2027-03-01T08:00:00Z by KIOSK_NOW" "$work/log" ||
    { cat "$work/log"; echo "FAIL: the pinned clock is not logged" >&2; exit 1; }
echo "ok - a pinned clock is logged"
rc=0
KIOSK_NOW=tomorrow "$KIOSK_BIN/kiosk" --config "$work/kiosk.toml" 2>"$work/log" || rc=$?
[ "$rc" -eq 2 ] && grep -q "KIOSK_NOW: not a UTC time: 'tomorrow'" "$work/log" ||
    { cat "$work/log"; echo "FAIL: a bad KIOSK_NOW was not refused clearly (exit $rc)" >&2; exit 1; }
echo "ok - a bad KIOSK_NOW is refused before anything starts"
