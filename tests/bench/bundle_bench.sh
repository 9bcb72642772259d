# Benchmarks for the content pipeline: build time, and install vs `minisign -Vm` + `cp`.
# Prints medians; figures go into README by hand. Not a test: nothing here passes or fails.
set -euo pipefail
: "${KIOSK_BIN:?}" "${KIOSK_SRC:?}"
BUNDLE="$KIOSK_BIN/kiosk-bundle"
CTL="$KIOSK_BIN/kioskctl"
WORK=$(mktemp -d /tmp/kiosk-bench-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
RUNS=${RUNS:-5}

now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# time_runs N CMD...: median wall time in ms over N runs; $BEFORE (untimed) runs before each.
BEFORE=true
time_runs() {
    local n=$1 i t0
    shift
    for ((i = 0; i < n; i++)); do
        $BEFORE
        t0=$(now_ms)
        "$@" >/dev/null 2>&1
        echo $(($(now_ms) - t0))
    done | median
}

echo "## build"
sample_ms=$(time_runs "$RUNS" "$BUNDLE" build "$KIOSK_SRC/content" --out sample.kbundle)
echo "sample content ($(find "$KIOSK_SRC/content/docs" -name '*.md' | wc -l) documents): ${sample_ms} ms, $(stat -c %s sample.kbundle) bytes"
python3 "$KIOSK_SRC/tests/bench/gen_source.py" gen10k --docs 10000
gen_ms=$(time_runs 3 "$BUNDLE" build gen10k --out gen10k.kbundle)
echo "10,000 generated documents: ${gen_ms} ms, $(($(stat -c %s gen10k.kbundle) / 1048576)) MiB"

echo "## install a 50 MB bundle vs minisign -Vm + cp"
python3 "$KIOSK_SRC/tests/bench/gen_source.py" big50 --docs 200 --asset-mb 48
"$BUNDLE" build big50 --out big.kbundle >/dev/null
"$BUNDLE" keygen --out keys >/dev/null
"$BUNDLE" sign big.kbundle --key keys/county.key >/dev/null
size_mb=$(($(stat -c %s big.kbundle) / 1048576))
cat >kiosk.toml <<TOML
[paths]
state_dir = "$WORK/state"
[bundle]
scope = "demo-county"
trusted_keys = ["$WORK/keys/county.pub"]
TOML
fresh_state() { rm -rf "$WORK/state" "$WORK/copy.kbundle"; sync; }
install_once() {
    "$CTL" --config kiosk.toml import big.kbundle
}
minisign_cp() {
    minisign -Vm big.kbundle -p keys/county.pub -q && cp big.kbundle copy.kbundle
}
minisign_cp_sync() {
    minisign -Vm big.kbundle -p keys/county.pub -q && cp big.kbundle copy.kbundle && sync copy.kbundle
}
install_once >/dev/null  # warm the page cache for both sides
BEFORE=fresh_state
ours=$(time_runs "$RUNS" install_once)
theirs=$(time_runs "$RUNS" minisign_cp)
theirs_sync=$(time_runs "$RUNS" minisign_cp_sync)
echo "bundle: ${size_mb} MiB"
echo "kioskctl import (stage+fsync, verify, quick_check, switch): ${ours} ms"
echo "minisign -Vm + cp: ${theirs} ms   (+ sync of the copy: ${theirs_sync} ms)"
awk -v a="$ours" -v b="$theirs" -v c="$theirs_sync" \
    'BEGIN {printf "ratio: %.2fx of minisign+cp, %.2fx of minisign+cp+sync (goal <= 1.5x)\n", a / b, a / c}'
