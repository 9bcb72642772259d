# A revoked terminal: the hub answers 401, the worker stops hammering (a few attempts in a loop
# run, counted by the fault proxy) and reports it in `kioskctl status`; nothing queued is lost.
source "$(dirname "$0")/lib.sh"
source "$KIOSK_SRC/tests/helpers/sync_testlib.sh"
FILL="$KIOSK_BIN/outbox_fill"
sync_world
start_proxy "$WORK/proxy" "${HUB_URL#https://}" certs
sync_kiosk "$WORK" k1
enroll k1 "https://127.0.0.1:$(cat proxy/port)" town-a
"$FILL" "$WORK/k1" 5 consultation >/dev/null
kctl k1 sync --once >logs/first.log 2>&1 || die "first sync: $(tail -5 logs/first.log)"
KIOSK_ID=$(hub fleet --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
hub revoke "$KIOSK_ID" >/dev/null || die "revoke"
"$FILL" "$WORK/k1" 5 consultation >/dev/null
python3 "$FAULT_PROXY" set proxy pass mark=revoked
kctl k1 sync --loop --for 10 >logs/revoked.log 2>&1 || true
answers401=$(grep -c " 401 " "$HUBDIR/hub.log" || true)
[ "$answers401" -ge 1 ] || die "the hub never answered 401: $(tail -5 "$HUBDIR/hub.log")"
[ "$answers401" -le 3 ] || die "the worker kept knocking after 401: $answers401 answers in 10 s"
st=$(kctl k1 status 2>&1 || true)
grep -qiE "401|unauthori[sz]ed|revoked|enrol" <<<"$st" || die "status does not say the token was refused: $st"
[ "$(pending k1)" -eq 5 ] || die "the queue changed: $(pending k1) pending"
ok "revoked: $answers401 request(s) answered 401 in a 10 s loop, then quiet; status: $(grep -ioE -m1 '401|unauthori[sz]ed|revoked' <<<"$st"); 5 items still queued"
echo "sync_revoke: $CHECKS checks passed"
