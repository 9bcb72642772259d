# The kiosk's sync worker (kioskctl sync --loop) against the real hub behind the fault proxy
# (tests/helpers/fault_proxy.py): for each fault, nothing is lost, nothing is stored twice, the
# worker does not hammer (attempts counted by the proxy and by the worker's own one line per
# attempt, bounded by its backoff floor), and `kioskctl status` names the error. Every wait is
# bounded; time enters only as the length of each loop run (--for), never as an assertion.
source "$(dirname "$0")/lib.sh"
source "$KIOSK_SRC/tests/helpers/sync_testlib.sh"
FILL="$KIOSK_BIN/outbox_fill"
cd "$WORK"
make_certs certs
sample_bundle_setup
HUBDIR=$WORK/hubd
mkdir -p "$HUBDIR" logs
hub_config "$HUBDIR" "$WORK/certs" "$WORK/keys/county.pub"
start_hub "$HUBDIR"
trap 'stop_proxy "$WORK/proxy"; stop_hub "$HUBDIR"; [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT
hub publish "$WORK/b1.kbundle" >/dev/null
start_proxy "$WORK/proxy" "${HUB_URL#https://}" certs
PURL="https://127.0.0.1:$(cat proxy/port)"
sync_kiosk "$WORK" k1
enroll k1 "$PURL" town-a
"$FILL" "$WORK/k1" 5 consultation >/dev/null
kctl k1 sync --once >logs/first.log 2>&1 || die "first sync through the proxy: $(tail -5 logs/first.log)"
[ "$(pending k1)" -eq 0 ] || die "first sync left $(pending k1) pending"
assert_exactly_once k1
ok "through the proxy in pass mode: 5 items stored once"

WINDOW=8
# A pass that fails waits at least the backoff floor (0.5 s): in WINDOW seconds at most
# WINDOW/0.5 + 1 passes, each a few requests. A busy loop makes thousands.
MAX_ATTEMPTS=$((3 * (WINDOW * 2 + 1)))

# under_fault MODE WANT [PARAMS...]: new items queued, the loop runs WINDOW seconds under the
# fault, then the fault is lifted and one pass drains the queue.
under_fault() {
    local mode=$1 want=$2 log="logs/$1.log"
    shift 2
    "$FILL" "$WORK/k1" 10 consultation >/dev/null
    local p0
    case $mode in
    wrongca | expired | wronghost) p0=$(proxy_count proxy connections "$mode") ;;
    *) p0=$(proxy_count proxy requests "$mode") ;;
    esac
    python3 "$FAULT_PROXY" set proxy "$mode" "$@" || die "proxy mode $mode"
    kctl k1 sync --loop --for "$WINDOW" >"$log" 2>&1 || true
    local worker proxy
    # The worker prints one line per request ("kiosk-sync: heartbeat failed ...") and one per
    # failed pass ("kiosk-sync: pass failed ..., next attempt in N s"): requests are the former.
    worker=$(grep "^kiosk-sync:" "$log" | grep -vc "^kiosk-sync: pass failed" || true)
    case $mode in
    refuse) proxy=0 ;;  # nothing reaches the proxy: the worker's own lines count
    wrongca | expired | wronghost) proxy=$(($(proxy_count proxy connections "$mode") - p0)) ;;
    *) proxy=$(($(proxy_count proxy requests "$mode") - p0)) ;;
    esac
    [ "$worker" -ge 1 ] || die "$mode: the worker made no attempt: $(tail -5 "$log")"
    [ "$worker" -le "$MAX_ATTEMPTS" ] && [ "$proxy" -le "$MAX_ATTEMPTS" ] ||
        die "$mode: busy loop: $worker attempts (worker), $proxy (proxy) in ${WINDOW}s"
    [ "$(pending k1)" -gt 0 ] || die "$mode: the queue emptied under the fault"
    local st
    st=$(kctl k1 status 2>&1 | grep "^last error:" || true)
    grep -qiE -- "$want" <<<"$st" || die "$mode: kioskctl status does not name the error ($want): $st"
    python3 "$FAULT_PROXY" set proxy pass
    kctl k1 sync --once >>"$log" 2>&1 || die "$mode: no recovery after the fault: $(tail -5 "$log")"
    [ "$(pending k1)" -eq 0 ] || die "$mode: $(pending k1) items left after the fault"
    assert_exactly_once k1
    ok "$mode${1:+ $1}: $worker attempts in ${WINDOW}s (proxy saw $proxy), $st; after it all $(wc -l <"$WORK/hub.ids") items stored once"
}

under_fault refuse "cannot connect|refused"
under_fault reset "reset by peer|connection .*dropped"
under_fault stall "timed out|did not answer in time"
under_fault slow "timed out|did not answer in time"
under_fault http500 "HTTP 500"
# The same two on the upload alone: the hub has stored the batch when its answer is lost, so the
# resend must come back "duplicate", not stored twice.
under_fault reset "reset by peer|connection .*dropped" path=/api/v1/submissions
under_fault truncate "stopped short|bytes remaining" path=/api/v1/submissions
under_fault truncate "stopped short|bytes remaining"
under_fault wrongca "local issuer certificate"
under_fault expired "certificate has expired"
under_fault wronghost "(subject|host) ?name|does not match"

# 503 with Retry-After: 60 asks for longer than the window: one attempt, then it waits.
"$FILL" "$WORK/k1" 3 consultation >/dev/null
python3 "$FAULT_PROXY" set proxy http503 retry_after=60
kctl k1 sync --loop --for "$WINDOW" >logs/http503.log 2>&1 || true
n=$(proxy_count proxy requests http503)
[ "$n" -ge 1 ] && [ "$n" -le 2 ] || die "http503: $n requests in ${WINDOW}s despite Retry-After: 60"
st=$(kctl k1 status 2>&1 | grep "^last error:" || true)
grep -qE "503" <<<"$st" || die "http503: status does not name it: $st"
python3 "$FAULT_PROXY" set proxy pass
kctl k1 sync --once >>logs/http503.log 2>&1 || die "after 503: $(tail -5 logs/http503.log)"
assert_exactly_once k1
ok "http503 + Retry-After: 60: $n request(s) in ${WINDOW}s ($st), then all stored once"
echo "sync_faults: $CHECKS checks passed"
