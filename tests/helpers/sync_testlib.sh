# Shared by the sync tests and benchmarks (sourced after tests/integration/lib.sh): test
# certificates, the fault proxy, and the hub.
FAULT_PROXY="$KIOSK_SRC/tests/helpers/fault_proxy.py"

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
