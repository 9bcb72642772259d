#!/usr/bin/env bash
# The image's first-boot step (deploy/image.d/firstboot) against folders this test makes, with the
# real kioskctl from the build: no file → nothing done, exit 0 (the kiosk shows its first-run
# state); a file with a bad hub, code or CA → refused with the reason, nothing copied, no marker; a
# good file whose hub does not answer (127.0.0.1, a closed port) → kioskctl enroll is run with
# the hub, the copied CA and the code, fails, and no marker is left so the next boot tries again.
set -euo pipefail
: "${KIOSK_BIN:?set KIOSK_BIN to the build folder}"
: "${KIOSK_SRC:?set KIOSK_SRC to the source folder}"
FB="$KIOSK_SRC/deploy/image.d/firstboot"
WORK=$(mktemp -d /tmp/kiosk-firstboot-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
CHECKS=0
die() { echo "FAIL: $*" >&2; exit 1; }
ok() { CHECKS=$((CHECKS + 1)); echo "ok $CHECKS - $*"; }

mkdir -p "$WORK/usb" "$WORK/other" "$WORK/state"
"$KIOSK_BIN/kiosk-bundle" keygen --out "$WORK/keys" >/dev/null
cat >"$WORK/kiosk.toml" <<TOML
[paths]
state_dir = "$WORK/state"
[bundle]
scope = "demo-county"
trusted_keys = ["$WORK/keys/county.pub"]
TOML
export SUNSHINE_FIRSTBOOT_DIRS="$WORK/other $WORK/usb" SUNSHINE_FIRSTBOOT_STATE="$WORK/marker"
export KIOSKCTL="$KIOSK_BIN/kioskctl" KIOSK_CONFIG="$WORK/kiosk.toml" KIOSK_USER="$(id -un)"
export KIOSK_CA_DEST="$WORK/etc/hub-ca.pem" FIRSTBOOT_WAIT_USB_S=0 FIRSTBOOT_WAIT_NET_S=0

# run EXPECTED_RC "text": the script exits so and prints the text.
run() {
    local want_rc=$1 want=$2 out rc=0
    out=$(bash "$FB" 2>&1) || rc=$?
    [ "$rc" -eq "$want_rc" ] || die "exit $rc (wanted $want_rc): $out"
    grep -qF -- "$want" <<<"$out" || die "wanted '$want', got: $out"
    [ ! -e "$WORK/marker/enrolled" ] || die "a marker was left: $out"
}

run 0 "not enrolled; the kiosk shows its first-run state"
ok "no sunshine-enroll.toml: nothing done, exit 0"

echo "-----BEGIN CERTIFICATE-----" >"$WORK/usb/hub-ca.pem"
enroll() { printf 'hub = "%s"\ncode = "%s"   # one use only\nca = "%s"\n' "$1" "$2" "$3" >"$WORK/usb/sunshine-enroll.toml"; }
enroll "http://hub.example" "K7F3-9Q2M" "hub-ca.pem"
run 1 "hub must be an https:// URL"
ok "a plain http hub is refused"
enroll "https://hub.example" "K7F3 9Q2M; rm -rf /" "hub-ca.pem"
run 1 "code is missing or not letters, digits and '-'"
ok "a code with spaces and shell characters is refused"
enroll "https://hub.example" "K7F3-9Q2M" "../../etc/passwd"
run 1 "ca must name a certificate file beside it"
ok "a CA path outside the stick is refused"
enroll "https://hub.example" "K7F3-9Q2M" "missing.pem"
run 1 "ca must name a certificate file beside it"
[ ! -e "$KIOSK_CA_DEST" ] || die "the CA was copied from a refused file"
ok "a missing CA file is refused and nothing is copied"

enroll "https://127.0.0.1:9" "K7F3-9Q2M" "hub-ca.pem"
run 1 "kioskctl enroll failed"
cmp -s "$WORK/usb/hub-ca.pem" "$KIOSK_CA_DEST" || die "the CA was not copied to $KIOSK_CA_DEST"
ok "a hub that does not answer: kioskctl enroll fails, the CA is copied, no marker (next boot retries)"
echo "# $CHECKS checks passed"
