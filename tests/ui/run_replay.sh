# Runs one replay script against the real kiosk under Xvfb: run_replay.sh SCRIPT WxH [RENDERER]
# RENDERER is software (the default: what a machine without a GPU, like CI's, uses) or opengl
# (Mesa's llvmpipe here); screenshots of the opengl runs go to <script>-<WxH>-opengl/.
# The script's first line may name its fixture:
# "# fixture: sample | none | corrupt-current | hostile | switch | allchars | outbox-full | disk-full |
# no-seal-key | maintenance | maintenance-stick-full | no-font | no-dictionary".
# Screenshots are kept in $KIOSK_BIN/ui-shots/<script>-<WxH>/ for people to look at.
set -euo pipefail
script=$1 size=$2 renderer=${3:-software}
: "${KIOSK_BIN:?}" "${KIOSK_SRC:?}"
name=$(basename "$script" .replay)
shots="$KIOSK_BIN/ui-shots/$name-$size"
[ "$renderer" = software ] || shots="$shots-$renderer"
work=$(mktemp -d /tmp/kiosk-ui-XXXXXX)
trap 'rm -rf "$work"' EXIT
rm -rf "$shots"
mkdir -p "$shots"
fixture=$(sed -n '1s/^# fixture: *//p' "$script")
fixture=${fixture:-sample}
# "# now: 2026-11-27T10:00:00Z" pins the clock for the whole run (fixture tools and the kiosk),
# for scripts that check dated things; the others run on today's date, whatever it is.
now=$(sed -n 's/^# now: *//p' "$script" | head -1)
if [ -n "$now" ]; then export KIOSK_NOW=$now; else unset KIOSK_NOW; fi

source "$KIOSK_SRC/tests/ui/kiosk_state.sh"
kiosk_keys "$work"
kiosk_config "$work" "$renderer"
install() {  # install SRC VERSION [SQL file applied to the built bundle before signing]
    kiosk_bundle "$work" "$@"
    kiosk_import "$work" "$2"
}
case $fixture in
sample) install "$KIOSK_SRC/content" 1 ;;
none) ;;
corrupt-current)
    install "$KIOSK_SRC/content" 1
    echo "UPDATE meta SET value = '示例县（第二版）' WHERE key = 'title';" >"$work/edit.sql"
    install "$KIOSK_SRC/content" 2 "$work/edit.sql"
    # Damage the installed current bundle the way a failing disk would.
    current=$(readlink -f "$work/state/bundles/current/bundle.kbundle")
    printf '\xee%.0s' $(seq 1 64) | dd of="$current" bs=1 seek=4096 conv=notrunc status=none
    ;;
hostile)
    # Things no source would pass but a kiosk must survive: built, then edited, then signed.
    python3 - "$work/edit.sql" <<'PY'
import sys
long = "长文测试，" * 20000 + "结尾标记"
cols = ("|" + "|".join("列%d" % i for i in range(30)) + "|\n|" + "---|" * 30 + "\n|"
        + "|".join("数据%d" % i for i in range(30)) + "|")
title = "超长标题" * 75
odd = "表情 😀👍🏽👨‍👩‍👧 和罕见字 𠀀𪚥 以及 [不存在的文件](doc:no-such-document)\n\n"
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("UPDATE documents SET body = '%s' WHERE id = 'notice-kiosk-launch';\n" % long)
    f.write("UPDATE documents SET body = body || '\n\n%s\n' WHERE id = 'fees-free-services';\n" % cols)
    f.write("UPDATE documents SET title = '%s' WHERE id = 'policy-floating-population';\n" % title)
    f.write("UPDATE documents SET body = '%s' || body WHERE id = 'policy-population-law';\n" % odd)
    # A damaged image: the PNG signature and nothing else.
    f.write("UPDATE assets SET data = X'89504E470D0A1A0A0000' WHERE name = 'hall-layout.png';\n")
PY
    install "$KIOSK_SRC/content" 1 "$work/edit.sql"
    ;;
allchars)
    # The sample plus one article holding all 6,763 GB2312 characters, each once (made from
    # Python's gb2312 codec): every screen of it is characters the atlas has not seen.
    kiosk_allchars_source "$work/allchars" 0
    install "$work/allchars" 1
    ;;
switch)
    # Version 1 installed; version 2 (another title) signed and ready for the script to import
    # with: run "$KIOSK_BIN/kioskctl --config $KIOSK_WORK/kiosk.toml import $KIOSK_WORK/b2.kbundle"
    install "$KIOSK_SRC/content" 1
    echo "UPDATE meta SET value = '示例县第二版公开内容' WHERE key = 'title';" >"$work/edit.sql"
    kiosk_bundle "$work" "$KIOSK_SRC/content" 2 "$work/edit.sql"
    ;;
outbox-full)
    # A queue of ten with room for ten: every form finds it full.
    install "$KIOSK_SRC/content" 1
    printf '[submit]\nmax_items = 10\n' >>"$work/kiosk.toml"
    "$KIOSK_BIN/outbox_fill" "$work/state" 10 >/dev/null
    ;;
no-seal-key)
    echo "UPDATE meta SET value = '' WHERE key = 'seal_public_key';" >"$work/edit.sql"
    install "$KIOSK_SRC/content" 1 "$work/edit.sql"
    ;;
disk-full)
    # Three items queued, then the state database may not grow any more (a full disk).
    install "$KIOSK_SRC/content" 1
    "$KIOSK_BIN/outbox_fill" "$work/state" 3 >/dev/null
    export KIOSK_FAULT_STATE_DISK_FULL_AFTER=0
    ;;
maintenance | maintenance-stick-full)
    # The technician PIN 246810, three items queued, and a USB stick under $work/usb: an empty
    # folder, a bundle signed by a key this kiosk does not trust, and a good version 2.
    install "$KIOSK_SRC/content" 1
    "$KIOSK_BIN/outbox_fill" "$work/state" 3 >/dev/null
    printf '[maintenance]\npin_hash = "%s"\nusb_root = "%s"\n' \
        "$(echo 246810 | "$KIOSK_BIN/kioskctl" pin-hash)" "$work/usb" >>"$work/kiosk.toml"
    mkdir -p "$work/usb/empty" "$work/usb/stick/refused" "$work/usb/stick/good"
    kiosk_bundle "$work" "$KIOSK_SRC/content" 2
    cp "$work/b2.kbundle" "$work/b2.kbundle.minisig" "$work/usb/stick/good/"
    "$KIOSK_BIN/kiosk-bundle" keygen --out "$work/other-keys" >/dev/null
    cp "$work/b2.kbundle" "$work/usb/stick/refused/b3.kbundle"
    "$KIOSK_BIN/kiosk-bundle" sign "$work/usb/stick/refused/b3.kbundle" \
        --key "$work/other-keys/county.key" >/dev/null
    # The stick fills after 100 bytes of the export.
    [ "$fixture" = maintenance ] || export KIOSK_FAULT_USB_FULL_AFTER=100
    ;;
no-font)
    install "$KIOSK_SRC/content" 1
    printf '[assets]\nfont_regular = "%s/gone/NotoSansCJK-Regular.ttc"\n' "$work" >>"$work/kiosk.toml"
    ;;
no-dictionary)
    install "$KIOSK_SRC/content" 1
    printf '[assets]\npinyin_dictionary = "%s/gone/dict_pinyin.dat"\n' "$work" >>"$work/kiosk.toml"
    ;;
*) echo "unknown fixture '$fixture'" >&2; exit 2 ;;
esac

# Under ASan (the asan preset) the kiosk checks for leaks itself at the end of the replay, while
# everything in use is reachable; the check at exit would also see SDL's teardown.
export LSAN_OPTIONS="suppressions=$KIOSK_SRC/tests/ui/lsan.supp:print_suppressions=0"
export ASAN_OPTIONS="detect_leaks=1:leak_check_at_exit=0:abort_on_error=0"
# No session bus under Xvfb: SDL's attempt to autolaunch one leaves 1 KB inside libdbus (with
# stacks LeakSanitizer cannot unwind). The kiosk uses nothing over D-Bus.
export DBUS_SESSION_BUS_ADDRESS=disabled:
export KIOSK_BIN KIOSK_WORK=$work  # for the scripts' `run` lines
# The software renderer draws only what changed; here it also draws every frame whole and fails
# the replay if the two differ anywhere.
export KIOSK_VERIFY_DAMAGE=1
w=${size%x*} h=${size#*x}
rc=0
# -n from $RANDOM: parallel tests would otherwise race for the same display number.
xvfb-run -a -n $((100 + RANDOM % 800)) -s "-screen 0 ${w}x${h}x24" "$KIOSK_BIN/kiosk" --config "$work/kiosk.toml" --window "$size" \
    --replay "$script" --screenshot-dir "$shots" --state-dump "$shots/state.json" || rc=$?
if [ "$rc" -ne 0 ]; then
    echo "replay $name at $size failed (exit $rc); screenshots and state.json in $shots" >&2
    exit "$rc"
fi
echo "replay $name at $size: ok, $(ls "$shots"/*.png 2>/dev/null | wc -l) screenshot(s) in $shots"
