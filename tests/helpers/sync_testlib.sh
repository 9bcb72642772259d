# Shared by the sync tests and benchmarks (sourced after tests/integration/lib.sh): test
# certificates, the fault proxy, and the hub.
FAULT_PROXY="$KIOSK_SRC/tests/helpers/fault_proxy.py"
# CI reruns the suite under faketime (+1825d, @2024-06-01) to move the wall clock. libfaketime
# moves CLOCK_MONOTONIC too, but the kernel's timed waits do not follow it: the sync worker's
# std::condition_variable::wait_for (pthread_cond_clockwait on CLOCK_MONOTONIC, which libfaketime
# 0.9.10 does not intercept) then waits ~5 years (+1825d) or not at all (@2024). The wall clock is
# what those runs are about; the monotonic one stays real.
export FAKETIME_DONT_FAKE_MONOTONIC=1

# make_certs DIR: tests/helpers/test_certs.sh (fixed validity 2000..2099; "expired" 2001..2002).
make_certs() { bash "$KIOSK_SRC/tests/helpers/test_certs.sh" "$1" >/dev/null; }

# start_proxy DIR UPSTREAM CERTDIR [MODE...]: the fault proxy in the background; DIR/port.
start_proxy() {
    local dir=$1 upstream=$2 certs=$3
    shift 3
    mkdir -p "$dir"
    rm -f "$dir/port"
    python3 "$FAULT_PROXY" serve --dir "$dir" --upstream "$upstream" --certs "$certs" \
        ${1:+--mode "$@"} >"$dir/stdout" 2>"$dir/stderr" &
    echo $! >"$dir/pid"
    local i
    for i in $(seq 100); do
        [ -s "$dir/port" ] && return 0
        kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
        sleep 0.1
    done
    die "the fault proxy did not start: $(cat "$dir/stderr")"
}
stop_proxy() {
    [ -f "$1/pid" ] || return 0
    kill "$(cat "$1/pid")" 2>/dev/null || true
    wait "$(cat "$1/pid")" 2>/dev/null || true
    rm -f "$1/pid"
}
# proxy_count DIR TABLE [KEY]: a counter from DIR/stats.json (0 when absent).
proxy_count() {
    python3 - "$1/stats.json" "$2" "${3:-}" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
v = s[sys.argv[2]]
print(v.get(sys.argv[3], 0) if isinstance(v, dict) else v)
PY
}

# ---- the hub ----
HUB_BIN="$KIOSK_BIN/kiosk-hub"

# hub_config DIR CERTDIR PUBKEY [EXTRA TOML]: DIR/hub.toml for a hub on 127.0.0.1 (any free port
# until start_hub pins the one it got), its database and publish folder in DIR; HUB_THREADS threads
# (8) and HUB_RECEIPT_DELAY_MS (20) for receipts.
hub_config() {
    mkdir -p "$1/published"
    cat >"$1/hub.toml" <<TOML
[listen]
address = "127.0.0.1"
port = 0
[tls]
cert = "$2/hub.crt"
key = "$2/hub.key"
[storage]
database = "$1/hub.db"
publish_dir = "$1/published"
[bundle]
scope = "demo-county"
trusted_keys = ["$3"]
[limits]
threads = ${HUB_THREADS:-8}
receipt_delay_ms = ${HUB_RECEIPT_DELAY_MS:-20}
${4:-}
TOML
}

# start_hub DIR: kiosk-hub serve in the background (pid in DIR/hub.pid, log DIR/hub.log); sets
# HUB_URL. The first start pins the port it got in hub.toml, so a restart comes back on it.
start_hub() {
    local dir=$1 i
    : >"$dir/hub.out"
    "$HUB_BIN" serve --config "$dir/hub.toml" >"$dir/hub.out" 2>>"$dir/hub.log" &
    echo $! >"$dir/hub.pid"
    for i in $(seq 150); do
        grep -q "^listening on https://" "$dir/hub.out" && break
        kill -0 "$(cat "$dir/hub.pid")" 2>/dev/null || die "the hub did not start: $(tail -5 "$dir/hub.log")"
        sleep 0.1
    done
    HUB_URL=$(sed -n 's|^listening on \(https://[0-9.]*:[0-9]*\)$|\1|p' "$dir/hub.out")
    [ -n "$HUB_URL" ] || die "the hub did not say where it listens: $(cat "$dir/hub.out")"
    sed -i "s|^port = 0$|port = ${HUB_URL##*:}|" "$dir/hub.toml"
}
# stop_hub DIR [SIGNAL]: stops the hub (TERM by default; KILL for a crash) and waits for it.
stop_hub() {
    [ -f "$1/hub.pid" ] || return 0
    kill "-${2:-TERM}" "$(cat "$1/hub.pid")" 2>/dev/null || true
    wait "$(cat "$1/hub.pid")" 2>/dev/null || true
    rm -f "$1/hub.pid"
}
hub() { "$HUB_BIN" "$1" --config "$HUBDIR/hub.toml" "${@:2}"; }
# new_enroll_code TOWNSHIP: a fresh single-use code (the last line kiosk-hub enroll-code prints).
new_enroll_code() { hub enroll-code --township "$1" | tail -n 1; }
# hub_ids: the ids the hub stores, one a line, sorted (with repeats, if there ever were any).
hub_ids() { hub list --json | python3 -c 'import json,sys; [print(s["id"]) for s in json.load(sys.stdin)]' | sort; }

# ---- the kiosk side ----
# sync_kiosk WORK NAME [EXTRA TOML]: a kiosk state folder WORK/NAME with its own kiosk.toml
# (WORK/NAME.toml) trusting WORK/keys, the sample bundle (WORK/b1.kbundle) installed, and a [hub]
# section with short waits so a test sees several retries in seconds (backoff at most 5 s).
sync_kiosk() {
    local work=$1 name=$2
    cat >"$work/$name.toml" <<TOML
[paths]
state_dir = "$work/$name"
[bundle]
scope = "demo-county"
trusted_keys = ["$work/keys/county.pub"]
[ui]
renderer = "software"
[hub]
heartbeat_s = 10
backoff_cap_s = 5
connect_timeout_s = 2
timeout_s = 5
${3:-}
TOML
    "$CTL" --config "$work/$name.toml" import "$work/b1.kbundle" >/dev/null
}
# kctl NAME ARGS...: kioskctl for the kiosk WORK/NAME.
kctl() { "$CTL" --config "$WORK/$1.toml" "${@:2}"; }
# enroll NAME URL TOWNSHIP: a fresh code from the hub, and kioskctl enroll with it.
enroll() {
    local code
    code=$(new_enroll_code "$3")
    kctl "$1" enroll --hub "$2" --ca "$WORK/certs/ca.crt" --code "$code" >/dev/null ||
        die "enroll $1 at $2 failed"
}
# queued_ids NAME: every id in the kiosk's outbox (pending or sent), sorted.
queued_ids() { sqlite3 "$WORK/$1/kiosk.db" "SELECT id FROM outbox ORDER BY id"; }
pending() { sqlite3 "$WORK/$1/kiosk.db" "SELECT count(*) FROM outbox WHERE sent_at IS NULL"; }
# assert_exactly_once NAME: the hub holds each of the kiosk's ids once, and nothing else.
assert_exactly_once() {
    hub_ids >"$WORK/hub.ids"
    queued_ids "$1" >"$WORK/kiosk.ids"
    local dups
    dups=$(uniq -d "$WORK/hub.ids" | wc -l)
    [ "$dups" -eq 0 ] || die "the hub stored $dups ids twice"
    cmp -s "$WORK/hub.ids" "$WORK/kiosk.ids" ||
        die "hub and kiosk disagree: $(diff "$WORK/kiosk.ids" "$WORK/hub.ids" | head -5) (hub $(wc -l <"$WORK/hub.ids"), kiosk $(wc -l <"$WORK/kiosk.ids"))"
}
# sample_bundle_setup: keys, the sample content as WORK/b1.kbundle, dated today (or KIOSK_NOW).
sample_bundle_setup() {
    source "$KIOSK_SRC/tests/ui/kiosk_state.sh"
    kiosk_keys "$WORK"
    kiosk_bundle "$WORK" "$KIOSK_SRC/content" 1
}
# token_of NAME: the bearer token kioskctl enroll stored (sync/enrollment.json, mode 0600).
token_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$WORK/$1/sync/enrollment.json"; }
# fast_fill NAME COUNT: COUNT sealed consultations queued for kiosk NAME, before it is enrolled.
# outbox_fill commits each item with synchronous=FULL (~10 ms of fsync apiece on this disk), so
# it fills a copy on tmpfs (/dev/shm) and the database is copied in afterwards.
fast_fill() {
    local shm
    [ ! -e "$WORK/$1/kiosk.db" ] || die "fast_fill: $1 already has a database"
    shm=$(mktemp -d /dev/shm/kiosk-fill-XXXXXX)
    local first=$(($2 < 5000 ? $2 : 5000))
    "$KIOSK_BIN/outbox_fill" "$shm" "$first" consultation >/dev/null || { rm -rf "$shm"; die "outbox_fill"; }
    # outbox_fill stops at the outbox's default limit (5000 pending): more are copies of those
    # rows under fresh UUID v4 ids (the same sealed bytes; the hub stores them as they come).
    if [ "$2" -gt "$first" ]; then
        sqlite3 "$shm/kiosk.db" "INSERT INTO outbox (id, kind, created_at, meta, sealed, lookup_key,
            rating_target, bytes) SELECT lower(printf('%s-%s-4%s-%s%s-%s', hex(randomblob(4)),
            hex(randomblob(2)), substr(hex(randomblob(2)), 2), substr('89ab', 1 + abs(random()) % 4, 1),
            substr(hex(randomblob(2)), 2), hex(randomblob(6)))), kind, created_at, meta, sealed,
            lower(hex(randomblob(32))), rating_target, bytes FROM outbox LIMIT $(($2 - first));"
    fi
    sqlite3 "$shm/kiosk.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
    cp "$shm/kiosk.db" "$WORK/$1/kiosk.db"
    rm -rf "$shm"
}

# ---- the whole set-up ----
# sync_world [EXTRA HUB TOML]: in WORK, the test certificates (WORK/certs), the sample bundle
# (WORK/keys, WORK/b1.kbundle), logs/, and a running hub in HUBDIR=WORK/hubd (HUB_URL) with b1
# published. On exit a background loop ($LOOP_PID), every proxy (WORK/proxy*) and the hub stop,
# and WORK goes (kept with KEEP_WORK=1).
sync_world() {
    cd "$WORK"
    make_certs certs
    sample_bundle_setup
    HUBDIR=$WORK/hubd
    mkdir -p "$HUBDIR" logs
    hub_config "$HUBDIR" "$WORK/certs" "$WORK/keys/county.pub" "${1:-}"
    start_hub "$HUBDIR"
    LOOP_PID=""
    trap sync_world_down EXIT
    hub publish "$WORK/b1.kbundle" >/dev/null || die "publish the sample bundle"
}
sync_world_down() {
    [ -z "${LOOP_PID:-}" ] || kill "$LOOP_PID" 2>/dev/null || true
    local p
    for p in "$WORK"/proxy*/; do stop_proxy "${p%/}"; done
    stop_hub "$HUBDIR"
    [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
