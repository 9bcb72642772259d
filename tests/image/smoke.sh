#!/usr/bin/env bash
# The image smoke test (issue 10, part 4), sized for CI: deploy/image --minimal builds a Debian 12
# root filesystem with only the sunshine-kiosk package and what it depends on, from the Debian
# mirror this machine's apt uses, and the test checks that the kiosk, kioskctl, the session unit
# and the config are in it, that dpkg knows the config as a conffile and that `kioskctl --version`
# runs inside it (chroot). It prints how long the build took and how big the result is.
#
# The package: $KIOSK_IMAGE_DEB, else sunshine-kiosk_*.deb in $KIOSK_RELEASE_PACKAGES (deploy/dev
# test sets it) or in build/release/packages (deploy/dev package). Without one, or without root
# (mmdebstrap --mode=root and chroot), the test is skipped (exit 77) and says why.
# Downloads from the mirror: bounded (deploy/image probes the mirror for 30 s, then mmdebstrap
# gets KIOSK_IMAGE_TIMEOUT seconds, default 600); an unreachable mirror fails with that message.
set -euo pipefail
SRC=${KIOSK_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}

skip() { echo "SKIP: $*"; exit 77; }
die() { echo "FAIL: $*" >&2; exit 1; }
CHECKS=0
ok() { CHECKS=$((CHECKS + 1)); echo "ok $CHECKS - $*"; }

[ "$(id -u)" -eq 0 ] || skip "needs root: mmdebstrap --mode=root and chroot"
deb=${KIOSK_IMAGE_DEB:-}
if [ -z "$deb" ]; then
    for dir in "${KIOSK_RELEASE_PACKAGES:-}" "$SRC/build/release/packages"; do
        [ -n "$dir" ] || continue
        deb=$(ls "$dir"/sunshine-kiosk_*.deb 2>/dev/null | sort -V | tail -1 || true)
        [ -z "$deb" ] || break
    done
fi
[ -n "$deb" ] || skip "no sunshine-kiosk_*.deb: run deploy/dev package, or set KIOSK_IMAGE_DEB"
[ -f "$deb" ] || die "KIOSK_IMAGE_DEB=$deb: no such file"
version=$(dpkg-deb -f "$deb" Version)
upstream=${version#*:}
upstream=${upstream%-*}
echo "# package: $deb ($version)"

# In the build folder, not /tmp: a 300 MiB tree that a /tmp cleaner must not prune mid-build.
base=${KIOSK_BIN:-${TMPDIR:-/tmp}}
WORK=$(mktemp -d "$base/image-smoke-XXXXXX")
cleanup() {
    # Never follow a mount left behind (mmdebstrap mounts /proc, /sys and /dev inside the root).
    findmnt -rn -o TARGET | grep "^$WORK/" | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
    rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT
root="$WORK/rootfs"
# A county key, as a technician passes it (--county-key): the packaged config then loads.
key_args=()
if [ -x "${KIOSK_BIN:-}/kiosk-bundle" ]; then
    "$KIOSK_BIN/kiosk-bundle" keygen --out "$WORK/keys" >/dev/null
    key_args=(--county-key "$WORK/keys/county.pub")
fi

start=$EPOCHREALTIME
"$SRC/deploy/image" --minimal --deb "$deb" "${key_args[@]}" --rootfs "$root" --timeout "${KIOSK_IMAGE_TIMEOUT:-600}" \
    >"$WORK/image.log" 2>&1 || {
    tail -n 30 "$WORK/image.log" >&2
    die "deploy/image --minimal failed (last lines above)"
}
seconds=$(awk "BEGIN { printf \"%.1f\", $EPOCHREALTIME - $start }")
ok "deploy/image --minimal built the root filesystem"

for f in /usr/bin/kiosk /usr/bin/kioskctl; do
    [ -x "$root$f" ] || die "$f is not in the root filesystem"
    ok "$f is there and executable"
done
unit=""
for d in /lib/systemd/system /usr/lib/systemd/system; do
    [ -f "$root$d/sunshine-kiosk.service" ] && unit="$d/sunshine-kiosk.service" && break
done
if [ -z "$unit" ]; then
    dpkg-deb -c "$deb" | grep -q '/sunshine-kiosk\.service$' ||
        die "sunshine-kiosk.service is not in the root filesystem: the package $deb has no such unit"
    die "sunshine-kiosk.service is in the package but not in the root filesystem"
fi
ok "the session unit is there: $unit"
exec_bin=$(sed -n 's/^ExecStart=[-@:+!]*\([^ ]*\).*/\1/p' "$root$unit" | head -1)
[ -n "$exec_bin" ] || die "$unit has no ExecStart"
# (cage is in the full image, not in --minimal: only the kiosk's own binaries are checked here)
case $exec_bin in /usr/bin/kiosk | /usr/bin/kioskctl) [ -x "$root$exec_bin" ] || die "ExecStart $exec_bin missing" ;; esac
ok "the unit starts $exec_bin"
[ -f "$root/etc/kiosk/kiosk.toml" ] || die "/etc/kiosk/kiosk.toml is not in the root filesystem"
grep -q '^state_dir' "$root/etc/kiosk/kiosk.toml" || die "/etc/kiosk/kiosk.toml has no state_dir"
ok "the config /etc/kiosk/kiosk.toml is there"
conffiles=$(chroot "$root" dpkg-query -W -f='${Conffiles}' sunshine-kiosk)
grep -q '/etc/kiosk/kiosk.toml' <<<"$conffiles" || die "dpkg does not list /etc/kiosk/kiosk.toml as a conffile"
ok "dpkg keeps the config as a conffile"
status=$(chroot "$root" dpkg-query -W -f='${Status} ${Version}' sunshine-kiosk)
[ "$status" = "install ok installed $version" ] || die "sunshine-kiosk in the root: '$status'"
ok "sunshine-kiosk $version is installed (dpkg: $status)"
chroot "$root" getent passwd kiosk >/dev/null || die "no kiosk user in the root filesystem"
ok "the kiosk user exists"
out=$(chroot "$root" /usr/bin/kioskctl --version 2>&1) || die "kioskctl --version failed in the chroot: $out"
grep -q "^kioskctl" <<<"$out" || die "kioskctl --version printed: $out"
grep -qF "$upstream" <<<"$out" || die "kioskctl --version says '$out', the package is $version"
ok "kioskctl --version in the chroot: $out"
# Its shared libraries all resolve inside the root (the package's dependencies are complete).
missing=$(chroot "$root" sh -c 'ldd /usr/bin/kiosk /usr/bin/kioskctl' | grep 'not found' || true)
[ -z "$missing" ] || die "libraries missing in the root filesystem: $missing"
ok "every shared library of kiosk and kioskctl resolves in the root"

if [ ${#key_args[@]} -gt 0 ]; then
    cmp -s "$WORK/keys/county.pub" "$root/etc/kiosk/keys/county.pub" || die "--county-key was not installed as /etc/kiosk/keys/county.pub"
    ok "the county key is /etc/kiosk/keys/county.pub"
    # The packaged config with that key loads: status answers "no bundle installed" (exit 3).
    rc=0
    out=$(chroot "$root" /usr/bin/kioskctl --config /etc/kiosk/kiosk.toml status 2>&1) || rc=$?
    [ "$rc" -eq 3 ] || die "kioskctl status in the chroot exited $rc (wanted 3, no bundle): $out"
    ok "kioskctl status with the packaged config: no bundle yet (exit 3)"
fi

size=$(du -sm "$root" | cut -f1)
pkgs=$(chroot "$root" dpkg-query -W -f='.\n' | wc -l)
echo "# measured: built in ${seconds} s; ${size} MiB, ${pkgs} packages"
echo "# $CHECKS checks passed"
