# The kiosk's sync worker (kioskctl sync --loop) against the real hub behind the fault proxy
# (tests/helpers/fault_proxy.py): for each fault, nothing is lost, nothing is stored twice, the
# worker does not hammer (attempts counted by the proxy and by the worker's own one line per
# attempt, bounded by its backoff floor), and `kioskctl status` names the error. Every wait is
# bounded; time enters only as the length of each loop run (--for), never as an assertion.
# Each fault has its own terminal and its own proxy, and the faults run side by side against one
# hub (they wait on timeouts, not the CPU): the test takes one window, not twelve.
source "$(dirname "$0")/lib.sh"
source "$KIOSK_SRC/tests/helpers/sync_testlib.sh"
FILL="$KIOSK_BIN/outbox_fill"
# A hub thread for each terminal's kept-alive connection, and some to spare.
HUB_THREADS=32 sync_world
mkdir results

# through NAME: terminal NAME enrolled through its own proxy (WORK/proxy-NAME, in pass mode).
through() {
    start_proxy "$WORK/proxy-$1" "${HUB_URL#https://}" certs
    sync_kiosk "$WORK" "$1"
    enroll "$1" "https://127.0.0.1:$(cat "$WORK/proxy-$1/port")" town-a
}
through k0
"$FILL" "$WORK/k0" 5 consultation >/dev/null
kctl k0 sync --once >logs/first.log 2>&1 || die "first sync through the proxy: $(tail -5 logs/first.log)"
[ "$(pending k0)" -eq 0 ] || die "first sync left $(pending k0) pending"
assert_exactly_once k0
ok "through the proxy in pass mode: 5 items stored once"

WINDOW=8
# A pass that fails waits at least the backoff floor (0.5 s): in WINDOW seconds at most
# WINDOW/0.5 + 1 passes, each a few requests. A busy loop makes thousands.
MAX_ATTEMPTS=$((3 * (WINDOW * 2 + 1)))

# under_fault NAME MAX MODE WANT [PARAMS...]: terminal NAME queues items, its loop runs WINDOW
# seconds under the fault (at most MAX requests), then the fault is lifted and one pass drains the
# queue. Run in the background: the summary goes to results/NAME, a failure to results/NAME.fail.
under_fault() {
    local name=$1 max=$2 mode=$3 want=$4 log="logs/$1.log"
    shift 4
    die() { echo "$*" >"results/$name.fail"; exit 1; }
    through "$name"
    "$FILL" "$WORK/$name" 10 consultation >/dev/null
    local p="$WORK/proxy-$name"
    python3 "$FAULT_PROXY" set "$p" "$mode" "$@" || die "proxy mode $mode"
    kctl "$name" sync --loop --for "$WINDOW" >"$log" 2>&1 || true
    local worker proxy
    # The worker prints one line per request ("kiosk-sync: heartbeat failed ...") and one per
    # failed pass ("kiosk-sync: pass failed ..., next attempt in N s"): requests are the former.
    worker=$(grep "^kiosk-sync:" "$log" | grep -vc "^kiosk-sync: pass failed" || true)
    case $mode in
    refuse) proxy=0 ;;  # nothing reaches the proxy: the worker's own lines count
    wrongca | expired | wronghost) proxy=$(proxy_count "$p" connections "$mode") ;;
    *) proxy=$(proxy_count "$p" requests "$mode") ;;
    esac
    [ "$worker" -ge 1 ] || die "$mode: the worker made no attempt: $(tail -5 "$log")"
    [ "$worker" -le "$max" ] && [ "$proxy" -le "$max" ] ||
        die "$mode: busy loop: $worker attempts (worker), $proxy (proxy) in ${WINDOW}s, at most $max"
    [ "$(pending "$name")" -gt 0 ] || die "$mode: the queue emptied under the fault"
    local st
    st=$(kctl "$name" status 2>&1 | grep "^last error:" || true)
    grep -qiE -- "$want" <<<"$st" || die "$mode: kioskctl status does not name the error ($want): $st"
    python3 "$FAULT_PROXY" set "$p" pass
    kctl "$name" sync --once >>"$log" 2>&1 || die "$mode: no recovery after the fault: $(tail -5 "$log")"
    [ "$(pending "$name")" -eq 0 ] || die "$mode: $(pending "$name") items left after the fault"
    echo "$mode${1:+ $1}: $worker attempts in ${WINDOW}s (proxy saw $proxy), $st; then none pending" \
        >"results/$name"
}

# NAME;MAX REQUESTS;MODE;WHAT THE LAST ERROR SAYS (a regex);[PROXY PARAMETER]
faults=(
    "refuse;$MAX_ATTEMPTS;refuse;cannot connect|refused"
    "reset;$MAX_ATTEMPTS;reset;reset by peer|connection .*dropped"
    "stall;$MAX_ATTEMPTS;stall;timed out|did not answer in time"
    "slow;$MAX_ATTEMPTS;slow;timed out|did not answer in time"
    "http500;$MAX_ATTEMPTS;http500;HTTP 500"
    # The same two on the upload alone: the hub has stored the batch when its answer is lost, so
    # the resend must come back "duplicate", not stored twice.
    "resetup;$MAX_ATTEMPTS;reset;reset by peer|connection .*dropped;path=/api/v1/submissions"
    "truncup;$MAX_ATTEMPTS;truncate;stopped short|bytes remaining;path=/api/v1/submissions"
    "truncate;$MAX_ATTEMPTS;truncate;stopped short|bytes remaining"
    "wrongca;$MAX_ATTEMPTS;wrongca;local issuer certificate"
    "expired;$MAX_ATTEMPTS;expired;certificate has expired"
    "wronghost;$MAX_ATTEMPTS;wronghost;(subject|host) ?name|does not match"
    # 503 with Retry-After: 60 asks for longer than the window: one request (two at most), then
    # it waits.
    "http503;2;http503;503;retry_after=60"
)
pids=()
for f in "${faults[@]}"; do
    IFS=';' read -r name max mode want param <<<"$f"
    under_fault "$name" "$max" "$mode" "$want" ${param:+"$param"} >"logs/$name.err" 2>&1 &
    pids+=("$!")
done
for p in "${pids[@]}"; do wait "$p" || true; done
for f in "${faults[@]}"; do
    name=${f%%;*}
    [ ! -f "results/$name.fail" ] || die "$(cat "results/$name.fail")"
    [ -f "results/$name" ] || die "$name: the fault run ended without a result: $(tail -5 "logs/$name.err")"
    ok "$(cat "results/$name")"
done

# Every terminal's items, and nothing else, are at the hub once.
hub_ids >hub.ids
for k in k0 "${faults[@]%%;*}"; do queued_ids "$k"; done | sort >kiosk.ids
[ -z "$(uniq -d hub.ids)" ] || die "the hub stored $(uniq -d hub.ids | wc -l) ids twice"
cmp -s hub.ids kiosk.ids || die "hub and kiosks disagree: $(diff kiosk.ids hub.ids | head -5)"
ok "after all the faults: $(wc -l <hub.ids) items from $((${#faults[@]} + 1)) terminals, each stored once"
echo "sync_faults: $CHECKS checks passed"
