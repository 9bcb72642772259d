# The real minisign CLI both ways: its signatures install, and it verifies ours.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

"$BUNDLE" build "$KIOSK_SRC/content" --out b1.kbundle --version 1 --created "$TODAY" >/dev/null
"$BUNDLE" build "$KIOSK_SRC/content" --out b2.kbundle --version 2 --created "$TODAY" >/dev/null
"$BUNDLE" build "$KIOSK_SRC/content" --out b3.kbundle --version 3 --created "$TODAY" >/dev/null

# minisign's own key pair, unencrypted.
minisign -G -W -p ms.pub -s ms.key >/dev/null
write_config "$WORK/ms.pub"

# Prehashed (minisign's default) signature: verifies and installs.
minisign -S -s ms.key -m b1.kbundle -t "version 1" >/dev/null
prints "prehashed" "$BUNDLE" verify b1.kbundle --pubkey ms.pub || die "kiosk-bundle verify of minisign -S"
ok "kiosk-bundle verifies minisign -S (prehashed)"
"$CTL" --config kiosk.toml import b1.kbundle >/dev/null
[ "$(installed_version)" = 1 ] || die "minisign-signed bundle not installed"
ok "a bundle signed by minisign -S installs"

# Legacy (-l) signature.
minisign -S -l -s ms.key -m b2.kbundle -t "version 2" >/dev/null
prints "legacy" "$BUNDLE" verify b2.kbundle --pubkey ms.pub || die "kiosk-bundle verify of minisign -S -l"
"$CTL" --config kiosk.toml import b2.kbundle >/dev/null
[ "$(installed_version)" = 2 ] || die "legacy-signed bundle not installed"
ok "a bundle signed by minisign -S -l (legacy) installs"

# Our key pair and signature, checked by minisign.
"$BUNDLE" keygen --out ours >/dev/null
"$BUNDLE" sign b3.kbundle --key ours/county.key >/dev/null
minisign -V -p ours/county.pub -m b3.kbundle >/dev/null || die "minisign -V rejects our signature"
ok "minisign -V accepts kiosk-bundle sign"
minisign -V -H -p ours/county.pub -m b3.kbundle >/dev/null || die "our signature is not prehashed"
ok "our signature is in prehashed form (minisign -H)"
prints "version:3" minisign -V -p ours/county.pub -m b3.kbundle || die "trusted comment lacks the version"
ok "the trusted comment names the bundle version"

# minisign accepts our unencrypted secret key, and we accept the result.
cp b3.kbundle b3m.kbundle
minisign -S -s ours/county.key -m b3m.kbundle >/dev/null </dev/null || die "minisign -S rejects our secret key"
"$BUNDLE" verify b3m.kbundle --pubkey ours/county.pub >/dev/null || die "verify after minisign -S with our key"
ok "minisign -S signs with a kiosk-bundle keygen secret key"

# A tampered bundle fails in both.
printf 'x' | dd of=b3.kbundle bs=1 seek=9000 conv=notrunc status=none
! minisign -V -p ours/county.pub -m b3.kbundle >/dev/null 2>&1 || die "minisign accepted a tampered file"
expect_refusal "does not match its signature" "$BUNDLE" verify b3.kbundle --pubkey ours/county.pub
# minisign's key is trusted, ours is not: refused before anything is copied into place.
expect_refusal "unknown_key" "$CTL" --config kiosk.toml import b3m.kbundle
echo "minisign interop: $CHECKS checks passed"
