# SIGKILL between pressing 提交 and the receipt, at each point (KIOSK_FAULT_KILL_AT): after the
# kill the consultation is fully queued or absent, never partial, and a receipt was never shown
# for an item that is not durable; the database passes SQLite's integrity check and the kiosk
# starts again and takes the next submission.
set -euo pipefail
: "${KIOSK_BIN:?}" "${KIOSK_SRC:?}"
work=$(mktemp -d /tmp/kiosk-kill-XXXXXX)
trap 'rm -rf "$work"' EXIT
source "$KIOSK_SRC/tests/ui/kiosk_state.sh"
kiosk_sample_state "$work" software
cat >"$work/consult.replay" <<'REPLAY'
tap "触摸屏幕开始使用"
tap "我要咨询"
pinyin "zenmeban" 1
tap "下一步"
tap "跳过"
tap "提交"
expect-screen "receipt"
shot "receipt"
REPLAY
export DBUS_SESSION_BUS_ADDRESS=disabled:
depth() {
    "$KIOSK_BIN/kioskctl" --config "$work/kiosk.toml" outbox --json | sed -n 's/^  "depth": \([0-9]*\),$/\1/p'
}
expected=0
for point in outbox:begun outbox:inserted outbox:committed receipt; do
    rm -rf "$work/shots"
    rc=0
    KIOSK_FAULT_KILL_AT=$point xvfb-run -a -n $((100 + RANDOM % 800)) -s "-screen 0 1280x720x24" \
        "$KIOSK_BIN/kiosk" --config "$work/kiosk.toml" --window 1280x720 --replay "$work/consult.replay" \
        --screenshot-dir "$work/shots" 2>"$work/log" || rc=$?
    [ "$rc" -ne 0 ] || { cat "$work/log"; echo "FAIL: not killed at $point" >&2; exit 1; }
    [ ! -e "$work/shots/receipt.png" ] || { echo "FAIL: a receipt was shown when killed at $point" >&2; exit 1; }
    case $point in outbox:committed | receipt) expected=$((expected + 1)) ;; esac
    got=$(depth)
    [ "$got" = "$expected" ] || { echo "FAIL: killed at $point: $got queued, expected $expected" >&2; exit 1; }
    check=$(sqlite3 "$work/state/kiosk.db" "PRAGMA integrity_check;")
    [ "$check" = ok ] || { echo "FAIL: integrity_check after $point: $check" >&2; exit 1; }
    echo "ok - killed at $point: $got queued (whole), no receipt shown, database intact"
done
xvfb-run -a -n $((100 + RANDOM % 800)) -s "-screen 0 1280x720x24" "$KIOSK_BIN/kiosk" \
    --config "$work/kiosk.toml" --window 1280x720 --replay "$work/consult.replay" \
    --screenshot-dir "$work/shots" 2>"$work/log" || { cat "$work/log"; echo "FAIL: no restart" >&2; exit 1; }
[ -s "$work/shots/receipt.png" ] && [ "$(depth)" = $((expected + 1)) ] ||
    { echo "FAIL: after the kills the next consultation was not taken" >&2; exit 1; }
echo "ok - the kiosk starts again and queues the next one ($((expected + 1)) in all)"
