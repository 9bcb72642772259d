# Bundles from the hub: a download cut at random points (the fault proxy's "cut") resumes with
# Range and installs; a bundle altered in the hub's publish folder after publishing is refused,
# not installed, and reported in the next heartbeat (kiosk-hub fleet shows the error).
source "$(dirname "$0")/lib.sh"
source "$KIOSK_SRC/tests/helpers/sync_testlib.sh"
sync_world
start_proxy "$WORK/proxy" "${HUB_URL#https://}" certs
sync_kiosk "$WORK" k1
enroll k1 "https://127.0.0.1:$(cat proxy/port)" town-a
installed() { kctl k1 status --json | sed -n 's/^    "version": \([0-9]*\),$/\1/p' | head -1; }
[ "$(installed)" = 1 ] || die "version 1 not installed at the start"

# Version 2, 4 MB larger than the sample (random bytes: nothing compresses), so cuts land inside.
echo "INSERT INTO assets(name, mime, data) VALUES ('filler.bin', 'application/octet-stream', randomblob(4194304));" >filler.sql
kiosk_bundle "$WORK" "$KIOSK_SRC/content" 2 filler.sql
hub publish b2.kbundle >/dev/null || die "publish version 2"
python3 "$FAULT_PROXY" set proxy cut seed=$((RANDOM)) path=/api/v1/bundles/
# Six passes cut at random points (each resuming where the last stopped), then the network heals.
for _ in $(seq 1 6); do
    kctl k1 sync --once >>logs/cut.log 2>&1 || true
done
cuts=$(grep -c " cut: sent " proxy/log || true)
python3 "$FAULT_PROXY" set proxy pass
for _ in 1 2 3; do
    [ "$(installed)" = 2 ] && break
    kctl k1 sync --once >>logs/cut.log 2>&1 || true
done
ranges=$(grep -c "range=bytes=[1-9]" proxy/log || true)
[ "$(installed)" = 2 ] || die "version 2 not installed after $cuts cuts: $(tail -5 logs/cut.log)"
[ "$cuts" -ge 2 ] || die "only $cuts downloads were cut"
[ "$ranges" -ge 2 ] || die "downloads did not resume with Range: $(grep 'request GET' proxy/log)"
ok "a download cut $cuts times at random points resumes ($ranges Range requests) and installs version 2"
python3 "$FAULT_PROXY" set proxy pass

# Version 3 published, then altered in the publish folder: refused, reported, not installed.
kiosk_bundle "$WORK" "$KIOSK_SRC/content" 3
hub publish b3.kbundle >/dev/null || die "publish version 3"
f=$(grep -l "" "$HUBDIR"/published/* | xargs ls -t | grep -v minisig | head -1)
[ -n "$f" ] || die "nothing in the publish folder"
size=$(stat -c %s "$f")
printf 'tampered' | dd of="$f" bs=1 seek=$((size / 2)) conv=notrunc status=none
kctl k1 sync --once >logs/tamper.log 2>&1 || true
[ "$(installed)" = 2 ] || die "a tampered bundle was installed"
st=$(kctl k1 status 2>&1 || true)
grep -qiE "refused|sha256|signature|mismatch|tamper|verif" <<<"$st" || die "status does not name the refusal: $st"
ok "a bundle altered on the hub is refused and not installed"
kctl k1 sync --once >>logs/tamper.log 2>&1 || true
err=$(hub fleet --json | python3 -c 'import json,sys; print([t["last_error"] for t in json.load(sys.stdin)][0])')
[ -n "$err" ] || die "the next heartbeat did not report the refusal: $(hub fleet)"
ok "the next heartbeat reports it: kiosk-hub fleet shows '$err'"
echo "sync_bundle: $CHECKS checks passed"
