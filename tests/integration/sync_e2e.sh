# End to end on 127.0.0.1: a real hub, a terminal enrolled with a one-time code, a report filed by
# the real kiosk under Xvfb (a replay), uploaded by the sync worker (the kiosk's, kioskctl sync), stored once at
# the hub; the status county staff set (kiosk-hub reply) is what a look-up with the kiosk's own
# look-up key answers. Then the hub is killed again and again while a queue uploads (resent,
# stored once), and is down for a while (the queue grows, and drains when it is back).
source "$(dirname "$0")/lib.sh"
source "$KIOSK_SRC/tests/helpers/sync_testlib.sh"
FILL="$KIOSK_BIN/outbox_fill"
sync_world
sync_kiosk "$WORK" k1
printf '[printer]\ndevice = "%s"\n' "$WORK/printer.bin" >>"$WORK/k1.toml"
enroll k1 "$HUB_URL" town-a
ok "enrolled with a one-time code"

# ---- a report filed through the kiosk's screens ----
cat >report.replay <<'REPLAY'
tap "触摸屏幕开始使用"
tap "我要举报"
tap "乱收费乱罚款"
tap "跳过"
pinyin "chuangkou" 1
pinyin "duoshou" 1
pinyin "wushiyuan" 1
tap "下一步"
tap "今天"
tap "下一步"
tap "匿名举报"
tap "我确认"
tap "提交"
expect-screen "receipt"
REPLAY
export DBUS_SESSION_BUS_ADDRESS=disabled
xvfb-run -a -n $((100 + RANDOM % 800)) -s "-screen 0 1920x1080x24" "$KIOSK_BIN/kiosk" \
    --config "$WORK/k1.toml" --window 1920x1080 --replay report.replay \
    --state-dump state.json 2>logs/kiosk.log || die "the replay failed: $(tail -20 logs/kiosk.log)"
# The kiosk's own worker may already have sent it (it is woken by each submission); either way the
# outbox holds it, and the passes below must leave it stored once.
[ "$(queued_ids k1 | wc -l)" -eq 1 ] || die "the report is not in the outbox"
grep -q "kiosk-sync:" logs/kiosk.log || die "the kiosk did not start its sync worker"
CODE=$(grep -aoE '[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{4}' printer.bin | head -1 | tr -d -)
[ ${#CODE} -eq 16 ] || die "no receipt code on the printed receipt"
ID=$(queued_ids k1)
KEY=$(sqlite3 k1/kiosk.db "SELECT lookup_key FROM outbox WHERE id = '$ID'")
ok "a report filed by replay is queued (receipt code printed)"

kctl k1 sync --once >logs/sync1.log 2>&1 || die "sync: $(tail -5 logs/sync1.log)"
[ "$(pending k1)" -eq 0 ] || die "still pending after sync"
assert_exactly_once k1
hub list --json >list.json
python3 - "$ID" <<'PY' || die "the hub's record: $(cat list.json)"
import json, sys
items = json.load(open("list.json"))
assert len(items) == 1 and items[0]["id"] == sys.argv[1], items
assert items[0]["kind"] == "report" and items[0]["status"] == "received", items[0]
assert items[0]["meta"]["category"], items[0]
PY
kctl k1 sync --once >>logs/sync1.log 2>&1 || die "second sync"
[ "$(hub_ids | wc -l)" -eq 1 ] || die "a second pass stored it again"
ok "it arrives at the hub once (kiosk-hub list --json), status received"

hub reply "$ID" --status answered --text "已责成窗口退还多收的五十元" >/dev/null || die "reply"
[ "$(stat -c %a k1/sync/enrollment.json)" = 600 ] || die "token file mode $(stat -c %a k1/sync/enrollment.json)"
TOKEN=$(token_of k1)
ans=$(curl -sS --cacert certs/ca.crt -H "Authorization: Bearer $TOKEN" "$HUB_URL/api/v1/receipts/$KEY")
grep -qF '"status":"answered"' <<<"$ans" && grep -qF "退还多收的五十元" <<<"$ans" ||
    die "receipt look-up with the kiosk's key: $ans"
ok "the receipt's look-up key (computed by the kiosk) answers the status and reply staff set"

# ---- 进度查询 on the kiosk: the resident types the code and sees what the county answered ----
cat >lookup.replay <<REPLAY
tap "触摸屏幕开始使用"
tap "进度查询"
keys "$CODE"
expect-text "回执码正确"
tap "查询"
expect-text "已答复"
expect-text "已责成窗口退还多收的五十元"
REPLAY
xvfb-run -a -n $((100 + RANDOM % 800)) -s "-screen 0 1920x1080x24" "$KIOSK_BIN/kiosk" \
    --config "$WORK/k1.toml" --window 1920x1080 --replay lookup.replay \
    --state-dump lookup.json 2>logs/kiosk-lookup.log ||
    die "the 进度查询 replay failed: $(tail -20 logs/kiosk-lookup.log)"
! grep -q "$CODE" lookup.json logs/kiosk-lookup.log || die "the receipt code reached a log or the dump"
ok "进度查询 on the kiosk shows the status and the reply staff set"

# ---- the hub killed again and again while a queue uploads: resent, stored once ----
"$FILL" "$WORK/k1" 600 consultation >/dev/null
sed -i 's/^timeout_s = 5$/timeout_s = 5\nupload_batch = 5/' k1.toml
"$CTL" --config k1.toml sync --loop --for 90 >logs/loop-restarts.log 2>&1 &
LOOP_PID=$!
kills=0
for round in $(seq 1 8); do
    # A crash at whatever point the upload is: the first within 0.09 s of the loop's start (so
    # at least one lands mid-upload however fast the machine), then 0.1 .. 0.6 s after a restart.
    if [ "$round" -eq 1 ]; then sleep "0.0$((2 + RANDOM % 8))"; else sleep "0.$((1 + RANDOM % 6))"; fi
    [ "$(pending k1)" -gt 0 ] || break
    stop_hub "$HUBDIR" KILL
    kills=$((kills + 1))
    start_hub "$HUBDIR"
done
for _ in $(seq 300); do [ "$(pending k1)" -eq 0 ] && break; sleep 0.2; done
kill $LOOP_PID 2>/dev/null || true
wait $LOOP_PID 2>/dev/null || true
LOOP_PID=""
[ "$(pending k1)" -eq 0 ] || die "$(pending k1) items never arrived after the hub restarts"
[ "$kills" -ge 1 ] || die "the upload ended before the hub could be killed: nothing was tested"
assert_exactly_once k1
ok "hub SIGKILLed $kills times during the upload of 600 items: each stored exactly once"

# ---- the hub down for a while: the queue grows, then drains ----
stop_hub "$HUBDIR"
"$CTL" --config k1.toml sync --loop --for 120 >logs/loop-down.log 2>&1 &
LOOP_PID=$!
for i in 1 2 3 4 5; do
    "$FILL" "$WORK/k1" 20 consultation >/dev/null
    sleep 0.5
done
depth=$(pending k1)
[ "$depth" -eq 100 ] || die "queue depth while the hub is down: $depth"
st=$(kctl k1 status 2>&1 | grep "^last error:" || true)
grep -qiE "cannot connect|refused" <<<"$st" || die "status while the hub is down: $st"
ok "hub down: the queue grows to $depth, status says why ($st)"
start_hub "$HUBDIR"
for _ in $(seq 300); do [ "$(pending k1)" -eq 0 ] && break; sleep 0.2; done
kill $LOOP_PID 2>/dev/null || true
wait $LOOP_PID 2>/dev/null || true
LOOP_PID=""
[ "$(pending k1)" -eq 0 ] || die "the queue did not drain after the hub came back"
assert_exactly_once k1
ok "hub back: the queue drains, every item stored once ($(wc -l <"$WORK/hub.ids") in all)"
echo "sync_e2e: $CHECKS checks passed"
