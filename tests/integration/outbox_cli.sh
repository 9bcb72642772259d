# kioskctl outbox: the queue's numbers (never its content), and export to a folder for manual
# transfer; a full stick leaves nothing behind and the items stay queued.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
FILL="$KIOSK_BIN/outbox_fill"
[ -x "$FILL" ] || die "build the outbox_fill helper first ($FILL)"

"$BUNDLE" keygen --out keys >/dev/null
write_config "$WORK/keys/county.pub"
export KIOSK_NOW=2026-11-18T12:00:00Z

prints "0 pending" "$CTL" --config kiosk.toml outbox || die "status of a kiosk without an outbox"
[ ! -e state/kiosk.db ] || die "outbox status created the state database"
prints "nothing to export" "$CTL" --config kiosk.toml outbox export "$WORK" || die "empty export"
ok "a kiosk without an outbox shows an empty queue and creates nothing"

SECRET="王主任收了我五百元"
# The oldest item was created at 1795000000 (2026-11-18T11:06:40Z), 53 min before KIOSK_NOW.
"$FILL" state 3 report "$SECRET" 1795000000 >/dev/null
"$FILL" state 2 rating "$SECRET" 1795000100 >/dev/null
"$FILL" state 1 consultation "$SECRET" 1795000200 >/dev/null
out=$("$CTL" --config kiosk.toml outbox)
grep -qF "6 pending of at most 5000" <<<"$out" || die "depth: $out"
grep -qF "3 reports, 2 ratings, 1 consultations" <<<"$out" || die "counts by kind: $out"
grep -qF "oldest:      53 min old (2026-11-18T11:06:40Z)" <<<"$out" || die "oldest age: $out"
! grep -qF "$SECRET" <<<"$out" || die "status shows content"
ok "status shows depth, oldest age and counts by kind"

json=$("$CTL" --config kiosk.toml outbox --json)
grep -qF '"depth": 6' <<<"$json" || die "json depth: $json"
grep -qF '"rating": 2' <<<"$json" || die "json by kind: $json"
grep -qE '"oldest_age_s": 32[0-9]{2},' <<<"$json" || die "json oldest age: $json"
! grep -qF "$SECRET" <<<"$json" || die "json shows content"
ok "status --json carries the same numbers"

mkdir usb
out=$("$CTL" --config kiosk.toml outbox export usb)
grep -qF "exported 6 items" <<<"$out" || die "export: $out"
file=$(ls usb)
[[ "$file" =~ ^kiosk-outbox-20261118T120000Z-[0-9a-f]{8}\.jsonl$ ]] || die "export name: $file"
[ "$(wc -l <"usb/$file")" -eq 7 ] || die "export lines: $(wc -l <"usb/$file")"
! grep -qF "$SECRET" "usb/$file" || die "the export holds plaintext"
want=$(tail -n 1 "usb/$file" | sed -n 's/.*"sha256":"\([0-9a-f]*\)".*/\1/p')
got=$(head -n 6 "usb/$file" | sha256sum | cut -d' ' -f1)
[ -n "$want" ] && [ "$want" = "$got" ] || die "manifest sha256 $want, content $got"
grep -qF '"items":6' <(tail -n 1 "usb/$file") || die "manifest item count"
prints "6 pending" "$CTL" --config kiosk.toml outbox || die "export emptied the queue"
ok "export writes the sealed items and a manifest whose sha256 matches; the items stay queued"

mkdir full
KIOSK_FAULT_DISK_FULL_AFTER=1500 expect_refusal "export failed (disk_full)" \
    "$CTL" --config kiosk.toml outbox export full
[ -z "$(ls -A full)" ] || die "a full stick kept a partial file: $(ls -A full)"
prints "6 pending" "$CTL" --config kiosk.toml outbox || die "a failed export changed the queue"
ok "an export to a full stick leaves no file and the queue as it was"
expect_refusal "export failed (io)" "$CTL" --config kiosk.toml outbox export "$WORK/no-stick"
expect_refusal "usage:" "$CTL" --config kiosk.toml outbox export
echo "outbox_cli: $CHECKS checks passed"
