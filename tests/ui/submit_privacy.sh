# Privacy of a filed report, against the real kiosk under Xvfb: a real-name report with a known
# name, phone, ID number and sentence is filed (and its receipt printed to a capture file); then
# the state database, its WAL, shm and journal files, the kiosk's log, the state dump written after
# the receipt and the printed bytes are searched for each of them, as UTF-8, UTF-16 (both byte
# orders) and GB18030: zero hits. The item is in the outbox, sealed.
set -euo pipefail
: "${KIOSK_BIN:?}" "${KIOSK_SRC:?}"
work=$(mktemp -d /tmp/kiosk-privacy-XXXXXX)
trap 'rm -rf "$work"' EXIT
source "$KIOSK_SRC/tests/ui/kiosk_state.sh"
kiosk_sample_state "$work" software
printf '[printer]\ndevice = "%s"\n' "$work/printer.bin" >>"$work/kiosk.toml"
cat >"$work/report.replay" <<'REPLAY'
tap "触摸屏幕开始使用"
tap "我要举报"
tap "乱收费乱罚款"
tap "跳过"
pinyin "chuangkou" 1
pinyin "duoshou" 1
pinyin "wushiyuan" 1
expect-text "窗口多收五十元"
tap "下一步"
tap "今天"
tap "下一步"
tap "实名举报"
tap "点这里写姓名"
pinyin "zhangsan" 1
expect-text "张三"
tap "11 位手机号码"
keys "13987654321"
tap "18 位身份证号"
keys "11010519491231002X"
tap "下一步"
tap "我确认"
tap "提交"
expect-screen "receipt"
run "mkdir -p $KIOSK_WORK/live && cp $KIOSK_WORK/state/kiosk.db* $KIOSK_WORK/live/"
REPLAY
export DBUS_SESSION_BUS_ADDRESS=disabled: KIOSK_WORK=$work
xvfb-run -a -n $((100 + RANDOM % 800)) -s "-screen 0 1920x1080x24" "$KIOSK_BIN/kiosk" \
    --config "$work/kiosk.toml" --window 1920x1080 --replay "$work/report.replay" \
    --state-dump "$work/state.json" 2>"$work/kiosk.log" || { cat "$work/kiosk.log"; echo "FAIL: the replay failed" >&2; exit 1; }
"$KIOSK_BIN/kioskctl" --config "$work/kiosk.toml" outbox --json >"$work/outbox.json"
grep -q '"depth": 1' "$work/outbox.json" || { cat "$work/outbox.json"; echo "FAIL: the report is not queued" >&2; exit 1; }
echo "ok - the report is queued"
python3 - "$work" <<'PY'
import glob, os, sys
work = sys.argv[1]
secrets = ["张三", "13987654321", "11010519491231002X", "窗口多收五十元"]
# The files after the kiosk closed, and as they were while it ran (with the WAL and shm).
live = glob.glob(os.path.join(work, "live", "kiosk.db*"))
if not any(f.endswith("-wal") for f in live):
    sys.exit("FAIL: no WAL file was copied while the kiosk ran")
files = live + glob.glob(os.path.join(work, "state", "kiosk.db*")) + [
    os.path.join(work, "kiosk.log"), os.path.join(work, "state.json"), os.path.join(work, "printer.bin")]
if not any(f.endswith("kiosk.db") for f in files):
    sys.exit("FAIL: no state database")
# The scan itself works: the script that typed them holds them.
control = open(os.path.join(work, "report.replay"), "rb").read()
if "窗口多收五十元".encode("utf-8") not in control:
    sys.exit("FAIL: the scan's control does not find the sentence")
hits = []
for f in files:
    data = open(f, "rb").read()
    for s in secrets:
        for enc in ("utf-8", "utf-16-le", "utf-16-be", "gb18030"):
            if s.encode(enc) in data:
                hits.append("%s in %s (%s)" % (s, os.path.basename(f), enc))
if hits:
    sys.exit("FAIL: plaintext found: " + "; ".join(hits))
print("ok - none of the name, phone, ID number or sentence is in %d files (%s), in 4 encodings"
      % (len(files), ", ".join(sorted(os.path.relpath(f, work) for f in files))))
paper = open(os.path.join(work, "printer.bin"), "rb").read()
if not paper.startswith(b"\x1b\x40") or b"\x1d\x56" not in paper[-8:]:
    sys.exit("FAIL: the printed receipt is not an ESC/POS job (init ... cut)")
if "阳光终端".encode("gb18030") not in paper or "12356".encode() not in paper:
    sys.exit("FAIL: the printed receipt lacks its title or the hotline")
print("ok - the receipt was printed as ESC/POS (%d bytes) with the title and hotline" % len(paper))
PY
