# kioskctl selftest: a healthy terminal passes every check; each fault a technician meets is named
# on its own "problem" line with what to do, and the exit status says so. The renderer is started
# for real (under Xvfb); the touchscreen comes from an input-device list the test writes
# (KIOSK_INPUT_DEVICES: this machine has none), parsed as /proc/bus/input/devices is.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
chmod 755 "$WORK"  # the read-only case runs as nobody

# One clock for the whole test, after the program's build date whatever day the suite runs on (the
# binary is at least as new as the date compiled into it).
# (NO_FAKE_STAT: under CI's faketime runs, libfaketime would move the file's time as well.)
KIOSK_NOW=$(date -u -d "$(NO_FAKE_STAT=1 date -u -r "$CTL" +%Y-%m-%d) + 1 day" +%Y-%m-%d)
export KIOSK_NOW

"$BUNDLE" keygen --out keys >/dev/null
"$BUNDLE" build "$KIOSK_SRC/content" --out b1.kbundle --version 1 >/dev/null
"$BUNDLE" sign b1.kbundle --key keys/county.key >/dev/null

cat >touch-devices <<'EOF'
I: Bus=0019 Vendor=0000 Product=0001 Version=0000
N: Name="Power Button"
P: Phys=LNXPWRBN/button/input0
H: Handlers=kbd event0
B: PROP=0
B: EV=3
B: KEY=10000000000000 0

I: Bus=0003 Vendor=0eef Product=c002 Version=0111
N: Name="eGalax Inc. eGalaxTouch EXC3000-0368-40.00.00"
P: Phys=usb-0000:00:14.0-4/input0
H: Handlers=mouse0 event5
B: PROP=2
B: EV=1b
B: KEY=400 0 0 0 0 0
B: ABS=260800000000003
B: MSC=10
EOF
sed -n '1,7p' touch-devices >keyboard-only
export KIOSK_INPUT_DEVICES=$WORK/touch-devices

# config [EXTRA TOML]: the kiosk.toml under test, software rendering.
config() {
    write_config "$WORK/keys/county.pub"
    printf '[ui]\nrenderer = "software"\n%b' "${1:-}" >>kiosk.toml
}
config
"$CTL" --config kiosk.toml import b1.kbundle >/dev/null

# xvfb COMMAND...: the command under a fresh Xvfb. The X authority file is the test's own (-f):
# with a temporary one, xvfb-run removes its folder before it stops Xvfb, and in about one run of
# this test in ten that removal failed without a word (exit 5), leaving an Xvfb that held ctest's
# output pipe open.
xvfb() { xvfb-run -a -n $((100 + RANDOM % 800)) -f "$WORK/xauthority" -s "-screen 0 1280x720x24" "$@"; }

# selftest: runs it under Xvfb (with the caller's environment); sets OUT and RC.
selftest() {
    RC=0
    OUT=$(xvfb "$CTL" --config "$WORK/kiosk.toml" selftest 2>&1) || RC=$?
}
# has LINE: the last self-test printed a line starting with LINE.
has() { grep -q -- "^$1" <<<"$OUT" || die "expected a line '$1...'; got:
$OUT"; }

selftest
[ "$RC" -eq 0 ] || die "a healthy terminal failed its self-test ($RC):
$OUT"
for check in font_regular font_bold dictionary handwriting renderer touch state clock keys bundle; do
    has "ok $check: "
done
has "ok renderer: software on x11"
has "ok touch: \"eGalax Inc. eGalaxTouch EXC3000-0368-40.00.00\" at /dev/input/event5"
has "ok bundle: version 1 (.*) verifies with key"
! grep -q '^problem' <<<"$OUT" || die "problems on a healthy terminal: $OUT"
ok "a healthy terminal: every check ok, exit 0"

json=$(xvfb "$CTL" --config kiosk.toml selftest --json)
python3 - "$json" <<'PY' || die "selftest --json: $json"
import json, sys
checks = json.loads(sys.argv[1])
assert [c["check"] for c in checks][:2] == ["font_regular", "font_bold"], checks
assert all(c["ok"] for c in checks), checks
PY
ok "--json lists the same checks"

config '[assets]\nfont_regular = "'"$WORK"'/gone/NotoSansCJK-Regular.ttc"\n'
selftest
[ "$RC" -eq 1 ] || die "a missing font passed (exit $RC): $OUT"
has "problem font_regular: font file $WORK/gone/NotoSansCJK-Regular.ttc is missing or unreadable: install fonts-noto-cjk"
has "ok font_bold"
ok "a missing font is named, with the package to install"

printf 'not a font' >fake.ttc
config '[assets]\nfont_bold = "'"$WORK"'/fake.ttc"\n'
selftest
has "problem font_bold: font file $WORK/fake.ttc is not an OpenType font"
ok "a file that is not a font is named"

config '[assets]\npinyin_dictionary = "'"$WORK"'/gone/dict_pinyin.dat"\nhandwriting_model = "'"$WORK"'/fake.ttc"\n'
selftest
[ "$RC" -eq 1 ] || die "a missing dictionary passed (exit $RC): $OUT"
has "problem dictionary: pinyin dictionary $WORK/gone/dict_pinyin.dat is missing or not a file: install libgooglepinyin0"
has "problem handwriting: handwriting model $WORK/fake.ttc"
ok "a missing dictionary and a broken handwriting model are named"

config
KIOSK_INPUT_DEVICES=$WORK/keyboard-only selftest
[ "$RC" -eq 1 ] || die "no touchscreen passed (exit $RC): $OUT"
has "problem touch: no touchscreen among the input devices: plug in the touchscreen"
KIOSK_INPUT_DEVICES=$WORK/none selftest
has "problem touch: no input devices are listed"
ok "no touchscreen: a keyboard alone is not one"

RC=0
OUT=$(env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER "$CTL" --config kiosk.toml selftest 2>&1) || RC=$?
[ "$RC" -eq 1 ] || die "no display passed (exit $RC): $OUT"
has "problem renderer: .*no display here; run the self-test inside the kiosk session"
ok "no display: said so, with what to do"

# The state directory read-only (as the kiosk user would meet it; root writes anywhere).
chmod -R a+rX "$WORK"
chmod 555 state
RC=0
OUT=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$CTL" --config kiosk.toml selftest 2>&1) ||
    RC=$?
chmod 755 state
[ "$RC" -eq 1 ] || die "a read-only state directory passed: $OUT"
has "problem state: the state directory $WORK/state is not writable"
ok "a read-only state directory is named"

# A state directory on a filesystem that is really full: a 16 MiB tmpfs mounted over it in a mount
# namespace of its own, the installed bundle copied in, the rest filled. (A floor set above this
# machine's free space would depend on its disk: CI's has more than the largest floor allowed.)
# (Only kioskctl runs in the namespace.)
RC=0
OUT=$(xvfb unshare --mount --propagation private bash -c '
    set -e
    cp -a state state.copy
    mount -t tmpfs -o size=16m tmpfs state
    cp -a state.copy/. state/
    dd if=/dev/zero of=state/filler bs=64k status=none 2>/dev/null || true
    exec "$0" --config "$PWD/kiosk.toml" selftest' "$CTL" 2>&1) || RC=$?
rm -rf state.copy
[ "$RC" -eq 1 ] || die "a full state disk passed: $OUT"
has "problem disk: 0 MiB free in $WORK/state, below the floor of 200 MiB"
ok "a disk below the free-space floor is named"

RC=0
OUT=$(KIOSK_NOW=2001-01-01 xvfb "$CTL" --config kiosk.toml selftest 2>&1) || RC=$?
has "problem clock: 2001-01-01T00:00:00Z is before this program was built"
ok "a clock before the build date is named"

config
cp keys/county.pub county.pub.good
printf 'untrusted comment: minisign public key\nnot base64 at all\n' >keys/county.pub
selftest
[ "$RC" -eq 1 ] || die "a bad trusted key passed (exit $RC): $OUT"
has "problem keys: trusted key $WORK/keys/county.pub: "
has "problem bundle: cannot be verified without a trusted key"
cp county.pub.good keys/county.pub
ok "a trusted key that does not parse is named"

current=$(readlink -f state/bundles/current/bundle.kbundle)
printf '\xee\xee\xee\xee' | dd of="$current" bs=1 seek=8192 conv=notrunc status=none
selftest
[ "$RC" -eq 1 ] || die "a tampered bundle passed (exit $RC): $OUT"
has "problem bundle: version 1 does not verify (.*): import a signed bundle"
ok "a tampered bundle is named"

echo "selftest: $CHECKS checks passed"
