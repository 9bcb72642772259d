# SIGKILL of the syncing process (kioskctl sync --loop) at random points of an upload, 20 times:
# every item is stored at the hub exactly once and leaves the kiosk's queue. The hub's answer
# may be lost with the process (stored, not yet marked sent): the next run resends, the hub says
# "duplicate", nothing is counted twice.
source "$(dirname "$0")/lib.sh"
source "$KIOSK_SRC/tests/helpers/sync_testlib.sh"
ITEMS=10000
sync_world
sync_kiosk "$WORK" k1 "upload_batch = 5
[submit]
max_items = 100000"
fast_fill k1 $ITEMS
enroll k1 "$HUB_URL" town-a
RANDOM=${KILL_SEED:-4242}
kills=0 mid=0
for round in $(seq 1 20); do
    [ "$(pending k1)" -gt 0 ] || break
    # kioskctl itself in the background (not the kctl function: $! would be a subshell).
    "$CTL" --config k1.toml sync --loop --for 30 >>logs/loop.log 2>&1 &
    pid=$!
    # 0.05 .. 0.25 s into the run: the worker is connecting, uploading or marking items sent.
    sleep "$(printf '0.%02d' $((5 + RANDOM % 21)))"
    before=$(pending k1)
    kill -KILL $pid 2>/dev/null && kills=$((kills + 1))
    wait $pid 2>/dev/null || true
    after=$(pending k1)
    stored=$(hub_ids | wc -l)
    # The hub holds more than the kiosk believes sent: this kill fell between the hub storing a
    # batch and the kiosk recording it (the case that needs resending and deduplication).
    [ "$stored" -le $((ITEMS - after)) ] || mid=$((mid + 1))
done
kctl k1 sync --once >>logs/loop.log 2>&1 || die "the final pass failed: $(tail -5 logs/loop.log)"
[ "$(pending k1)" -eq 0 ] || die "$(pending k1) items left"
assert_exactly_once k1
ok "$kills SIGKILLs during the upload of $ITEMS items ($mid between the hub storing and the kiosk recording): each stored exactly once"
integrity=$(sqlite3 k1/kiosk.db "PRAGMA integrity_check")
[ "$integrity" = ok ] || die "the kiosk's database after the kills: $integrity"
ok "the kiosk's database is intact after the kills"
echo "sync_kill: $CHECKS checks passed"
