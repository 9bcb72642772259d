# The tools as staff and technicians use them: errors with file:line, reproducible builds, status.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

# Reproducible: two builds of the sample content are byte-identical.
"$BUNDLE" build "$KIOSK_SRC/content" --out a.kbundle --version 9 --created "$TODAY" >/dev/null
"$BUNDLE" build "$KIOSK_SRC/content" --out b.kbundle --version 9 --created "$TODAY" >/dev/null
cmp -s a.kbundle b.kbundle || die "two builds of the same source differ"
ok "the sample content builds byte-identically twice"
"$BUNDLE" build "$KIOSK_SRC/content" --out d.kbundle --version 9 >/dev/null
"$BUNDLE" build "$KIOSK_SRC/content" --out e.kbundle --version 9 >/dev/null
cmp -s d.kbundle e.kbundle || die "two builds without --created differ"
ok "the sample content builds byte-identically twice, with and without --created"
# A pinned clock dates the bundle (and the tool says the clock is pinned).
KIOSK_NOW=2031-06-01T08:00:00Z "$BUNDLE" build "$KIOSK_SRC/content" --out p.kbundle --version 9 \
    >/dev/null 2>pinned.txt
grep -q "the clock is pinned to 2031-06-01T08:00:00Z by KIOSK_NOW" pinned.txt || die "no pinned-clock line: $(cat pinned.txt)"
prints '"created": "2031-06-01T08:00:00Z"' "$BUNDLE" inspect p.kbundle --json || die "pinned created"
expect_refusal "KIOSK_NOW: not a UTC time" env KIOSK_NOW=yesterday "$BUNDLE" inspect p.kbundle
ok "KIOSK_NOW pins the clock, is logged, and a bad value is refused"
prints '"documents": ' "$BUNDLE" inspect a.kbundle --json || die "inspect --json"
prints "not signed" "$BUNDLE" inspect a.kbundle || die "inspect does not say it is unsigned"
ok "inspect reports the bundle"
prints "【12356】" "$BUNDLE" search a.kbundle 12356 || die "search for the hotline number"
ok "search finds the hotline number with a highlight"

# Source errors: every one listed as file:line, non-zero exit, no output file.
cp -r "$KIOSK_SRC/content" src
printf '+++\nid = "Bad Id"\nkind = "poster"\n+++\n' >src/docs/broken.md
printf '+++\nid = "x-link"\nkind = "article"\ncategory = "policy"\ntitle = "t"\nsummary = "s"\nissuer = "i"\nupdated = 2026-01-01\n+++\n\n[no](doc:nowhere)\n' >src/docs/link.md
rc=0
"$BUNDLE" build src --out bad.kbundle 2>err.txt >/dev/null || rc=$?
[ "$rc" -ne 0 ] || die "a broken source built"
[ ! -e bad.kbundle ] || die "a broken source left an output file"
grep -q "^src/docs/broken.md:2: id 'Bad Id'" err.txt || die "bad id not reported: $(cat err.txt)"
grep -q "^src/docs/broken.md:3: unknown kind 'poster'" err.txt || die "bad kind not reported"
grep -q "^src/docs/broken.md:1: missing field 'title'" err.txt || die "missing title not reported"
grep -q "^src/docs/link.md:11: broken link: no document has id 'nowhere'" err.txt || die "broken link not reported"
grep -q "no bundle was written" err.txt || die "no summary line"
ok "a broken source lists every error as file:line and writes nothing"

# kioskctl: a clear word for a missing config, a missing bundle, and a refusal.
expect_refusal "cannot read configuration" "$CTL" --config nope.toml status
"$BUNDLE" keygen --out keys >/dev/null
write_config "$WORK/keys/county.pub"
expect_refusal "bundle:      none (no current bundle is installed)" "$CTL" --config kiosk.toml status
expect_refusal "no signature file" "$CTL" --config kiosk.toml import a.kbundle
"$BUNDLE" sign a.kbundle --key keys/county.key >/dev/null
prints "installed bundle version 9" "$CTL" --config kiosk.toml import a.kbundle || die "import"
prints "version:     9" "$CTL" --config kiosk.toml status || die "status after import"
expect_refusal "refused (not_newer)" "$CTL" --config kiosk.toml import a.kbundle
expect_refusal "rollback refused (no_previous)" "$CTL" --config kiosk.toml rollback
# The disk fills up while staging: refused, staged bytes removed, version 9 still there.
"$BUNDLE" build "$KIOSK_SRC/content" --out c.kbundle --version 10 --created "$TODAY" >/dev/null
"$BUNDLE" sign c.kbundle --key keys/county.key >/dev/null
KIOSK_FAULT_DISK_FULL_AFTER=100000 expect_refusal "the disk filled up" "$CTL" --config kiosk.toml import c.kbundle
[ ! -e state/bundles/.staging ] || die "staging left behind after a full disk"
[ "$(installed_version)" = 9 ] || die "a full disk changed the installed bundle"
ok "a full disk leaves the installed bundle and no staging"
cp c.kbundle tampered.kbundle && cp c.kbundle.minisig tampered.kbundle.minisig
printf 'x' | dd of=tampered.kbundle bs=1 seek=5000 conv=notrunc status=none
out=$("$CTL" --config kiosk.toml import tampered.kbundle 2>&1) && die "a tampered bundle was installed"
grep -qF "$WORK/tampered.kbundle does not match its signature" <<<"$out" ||
    grep -qF "tampered.kbundle does not match its signature" <<<"$out" || die "refusal does not name the file: $out"
! grep -q "staging" <<<"$out" || die "refusal names the staging copy: $out"
ok "a tampered bundle is refused naming the technician's file"
"$CTL" --config kiosk.toml import c.kbundle >/dev/null
prints "rolled back to bundle version 9" "$CTL" --config kiosk.toml rollback || die "rollback"
ok "rollback returns to version 9"
echo "cli: $CHECKS checks passed"
