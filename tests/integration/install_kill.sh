# A process killed (SIGKILL) at any point of an install leaves the old or the new bundle complete.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

"$BUNDLE" keygen --out keys >/dev/null
write_config "$WORK/keys/county.pub"
python3 "$KIOSK_SRC/tests/bench/gen_source.py" big --docs 300 --asset-mb 24
version=1
build_signed() {  # build_signed SRC VERSION → $WORK/bN.kbundle
    "$BUNDLE" build "$1" --out "b$2.kbundle" --version "$2" --created "$TODAY" >/dev/null
    "$BUNDLE" sign "b$2.kbundle" --key keys/county.key >/dev/null
}
build_signed "$KIOSK_SRC/content" 1
"$CTL" --config kiosk.toml import b1.kbundle >/dev/null

# The installed bundle must be one whole signed version, readable and verified.
check_whole() {
    local want_a=$1 want_b=$2 v path
    v=$(installed_version)
    [ "$v" = "$want_a" ] || [ "$v" = "$want_b" ] || die "installed version '$v', expected $want_a or $want_b"
    path=$("$CTL" --config kiosk.toml status --json | sed -n 's/^    "path": "\(.*\)"$/\1/p' | head -1)
    "$BUNDLE" verify "$path" --pubkey keys/county.pub >/dev/null || die "current bundle v$v does not verify"
    "$BUNDLE" inspect "$path" >/dev/null || die "current bundle v$v is not readable"
    echo "$v"
}

# 1. Killed right after each durable step, through the fault seam.
for step in staged verified checked moved previous_linked switched pruned; do
    version=$((version + 1))
    build_signed "$KIOSK_SRC/content" "$version"
    before=$(installed_version)
    rc=0
    (KIOSK_FAULT_KILL_AT=$step exec "$CTL" --config kiosk.toml import "b$version.kbundle" >/dev/null 2>&1) 2>/dev/null || rc=$?
    [ "$rc" -eq 137 ] || die "import was not killed at $step (exit $rc)"
    now=$(check_whole "$before" "$version")
    case $step in
    staged | verified | checked | moved | previous_linked) [ "$now" = "$before" ] || die "switched before 'switched' ($step)" ;;
    *) [ "$now" = "$version" ] || die "not switched after $step" ;;
    esac
    ok "killed after '$step': version $now is whole"
    # The next install is not blocked by what the killed one left behind.
    if [ "$now" = "$before" ]; then
        "$CTL" --config kiosk.toml import "b$version.kbundle" >/dev/null || die "retry after $step failed"
        [ "$(installed_version)" = "$version" ] || die "retry after $step did not install"
    fi
done

# 2. Killed from outside at moments spread over a 24 MiB install.
version=$((version + 1))
build_signed big "$version"
start=$(date +%s%N)
"$CTL" --config kiosk.toml import "b$version.kbundle" >/dev/null
full_ms=$((($(date +%s%N) - start) / 1000000))
echo "a full install of the 24 MiB bundle takes ${full_ms} ms"
for i in 1 2 3 4 5 6 7 8; do
    version=$((version + 1))
    build_signed big "$version"
    before=$(installed_version)
    delay_ms=$((full_ms * i / 9))
    "$CTL" --config kiosk.toml import "b$version.kbundle" >/dev/null 2>&1 &
    pid=$!
    sleep "$(printf '0.%03d' "$delay_ms")" 2>/dev/null || sleep 0
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    now=$(check_whole "$before" "$version")
    ok "killed after ${delay_ms} ms: version $now is whole"
done
echo "install kill: $CHECKS checks passed"
