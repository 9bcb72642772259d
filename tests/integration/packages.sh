# The Debian packages (cmake/packaging.cmake): cpack makes them from the build under test, lintian
# finds no errors, each has the files and dependencies it should, and the programs unpacked into a
# throw-away root run. With KIOSK_RELEASE_PACKAGES set (deploy/dev test sets it to the folder
# `deploy/dev package` filled), the release packages are checked as well.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
for tool in cpack lintian dpkg-deb dpkg-shlibdeps; do
    command -v "$tool" >/dev/null || die "$tool is missing (deploy/packages.txt lists its package)"
done
VERSION=$(sed -n 's/^project(sunshine_kiosk VERSION \([0-9.]*\).*/\1/p' "$KIOSK_SRC/CMakeLists.txt")
ARCH=$(dpkg --print-architecture)
HAVE_KIOSK=0
[ -x "$KIOSK_BIN/kiosk" ] && HAVE_KIOSK=1
HAVE_HUB=0
[ -x "$KIOSK_BIN/kiosk-hub" ] && HAVE_HUB=1

cpack --config "$KIOSK_BIN/CPackConfig.cmake" -B "$WORK/pk" >cpack.log 2>&1 || {
    cat cpack.log
    die "cpack failed"
}
KIOSK_DEB="$WORK/pk/sunshine-kiosk_${VERSION}_$ARCH.deb"
BUNDLE_DEB="$WORK/pk/sunshine-kiosk-bundle_${VERSION}_$ARCH.deb"
HUB_DEB="$WORK/pk/sunshine-kiosk-hub_${VERSION}_$ARCH.deb"
[ -f "$KIOSK_DEB" ] && [ -f "$BUNDLE_DEB" ] || die "cpack made: $(ls "$WORK/pk")"
if [ "$HAVE_HUB" -eq 1 ]; then
    [ -f "$HUB_DEB" ] || die "a kiosk-hub target but no hub package: $(ls "$WORK/pk")"
else
    [ ! -e "$HUB_DEB" ] || die "a hub package without a kiosk-hub target"
fi
ok "cpack made $(ls "$WORK/pk" | grep -c '\.deb$') packages: $(cd "$WORK/pk" && ls -- *.deb | tr '\n' ' ')"

# lintian: no errors (warnings are listed in cmake/packaging.cmake with why they are kept).
rc=0
lintian --fail-on error "$WORK"/pk/*.deb >lintian.txt 2>&1 || rc=$?
if [ "$rc" -ne 0 ] || grep -q '^E: ' lintian.txt; then
    cat lintian.txt
    die "lintian found errors (exit $rc)"
fi
ok "lintian: no errors ($(grep -c '^W: ' lintian.txt) warnings)"

# contents DEB PATH...: the package has each path (dpkg-deb -c), and nothing outside the places
# a package of ours may put files.
contents() {
    local deb=$1 list
    shift
    list=$(dpkg-deb -c "$deb" | awk '{print $6}')
    for want in "$@"; do
        grep -qxF -- "$want" <<<"$list" || die "$(basename "$deb") lacks $want; it has:
$list"
    done
    local stray
    stray=$(grep -vE '^\./(usr/(bin|sbin|share/(man|doc))|etc/kiosk|lib/systemd/system|usr/lib/(tmpfiles|sysusers)\.d)(/|$)|^\./$|^\./(usr|usr/share|etc|lib|lib/systemd|usr/lib)/$' <<<"$list" || true)
    [ -z "$stray" ] || die "$(basename "$deb") has files where it should not: $stray"
}
want=(./usr/bin/kioskctl ./etc/kiosk/kiosk.toml ./etc/kiosk/keys/
    ./usr/share/man/man1/kioskctl.1.gz ./usr/share/doc/sunshine-kiosk/copyright
    ./usr/share/doc/sunshine-kiosk/changelog.gz)
[ "$HAVE_KIOSK" -eq 0 ] || want+=(./usr/bin/kiosk ./usr/share/man/man1/kiosk.1.gz)
units=0
for unit in "$KIOSK_SRC"/deploy/systemd/*.service; do
    [ -e "$unit" ] || continue
    want+=("./lib/systemd/system/$(basename "$unit")")
    units=$((units + 1))
done
contents "$KIOSK_DEB" "${want[@]}"
contents "$BUNDLE_DEB" ./usr/bin/kiosk-bundle ./usr/share/man/man1/kiosk-bundle.1.gz \
    ./usr/share/doc/sunshine-kiosk-bundle/copyright ./usr/share/doc/sunshine-kiosk-bundle/changelog.gz
! dpkg-deb -c "$KIOSK_DEB" | grep -q 'bin/kiosk-bundle$' || die "kiosk-bundle is in sunshine-kiosk"
[ "$HAVE_HUB" -eq 0 ] || contents "$HUB_DEB" ./usr/sbin/kiosk-hub ./usr/share/doc/sunshine-kiosk-hub/copyright
ok "dpkg-deb -c: programs, man pages, config, $units systemd unit(s), copyright and changelog where they belong"

# Depends: the named data packages, and the libraries dpkg-shlibdeps found.
field() { dpkg-deb -f "$1" "$2"; }
depends=$(field "$KIOSK_DEB" Depends)
for pkg in adduser fonts-noto-cjk libgooglepinyin0 tegaki-zinnia-simplified-chinese libc6 \
    libsqlite3-0 libsodium23 libzinnia0 libqrencode4; do
    grep -qE "(^|, )$pkg( |,|$)" <<<"$depends" || die "sunshine-kiosk does not depend on $pkg: $depends"
done
if [ "$HAVE_KIOSK" -eq 1 ]; then
    grep -qE "(^|, )libsdl2-2.0-0 " <<<"$depends" || die "no libsdl2 dependency (dpkg-shlibdeps): $depends"
fi
bdepends=$(field "$BUNDLE_DEB" Depends)
grep -qE "(^|, )libsqlite3-0 " <<<"$bdepends" && grep -qE "(^|, )libsodium23 " <<<"$bdepends" ||
    die "sunshine-kiosk-bundle's Depends: $bdepends"
! grep -qE "sdl|fonts-noto" <<<"$bdepends" || die "kiosk-bundle needs no screen: $bdepends"
[ "$(field "$KIOSK_DEB" Version)" = "$VERSION" ] || die "version: $(field "$KIOSK_DEB" Version)"
ok "dpkg-deb -I: Depends has the data packages and the shared libraries' packages"

# Control files: the conffile, and maintainer scripts that parse and name the units.
dpkg-deb -e "$KIOSK_DEB" ctl
grep -qx /etc/kiosk/kiosk.toml ctl/conffiles || die "conffiles: $(cat ctl/conffiles)"
for s in postinst prerm postrm; do
    [ -x "ctl/$s" ] || die "no executable $s"
    sh -n "ctl/$s" || die "$s does not parse"
done
grep -q 'adduser --system' ctl/postinst && grep -q 'for group in video input render' ctl/postinst ||
    die "postinst makes no kiosk user"
for unit in "$KIOSK_SRC"/deploy/systemd/*.service; do
    [ -e "$unit" ] || continue
    grep -qF "$(basename "$unit")" ctl/prerm || die "prerm does not stop $(basename "$unit")"
done
ok "conffile /etc/kiosk/kiosk.toml; postinst, prerm and postrm parse and name the units"

# check_unpacked DEB... : unpacked into a throw-away root, the programs are stripped and run.
check_unpacked() {
    local root deb p
    root=$(mktemp -d "$WORK/root-XXXXXX")
    for deb in "$@"; do dpkg -x "$deb" "$root"; done
    for p in kioskctl kiosk-bundle kiosk; do
        [ -e "$root/usr/bin/$p" ] || continue
        file "$root/usr/bin/$p" | grep -q ', stripped' || die "$p is not stripped"
        out=$("$root/usr/bin/$p" --version) || die "the packaged $p --version failed"
        [ "$out" = "$p (Sunshine Kiosk) $VERSION" ] || die "the packaged $p --version: $out"
    done
    # The packaged config parses: kioskctl gets as far as the county's key it names.
    rc=0
    out=$("$root/usr/bin/kioskctl" --config "$root/etc/kiosk/kiosk.toml" status 2>&1) || rc=$?
    [ "$rc" -eq 1 ] && grep -qF "trusted key /etc/kiosk/keys/county.pub" <<<"$out" ||
        die "the packaged kiosk.toml: exit $rc: $out"
}
check_unpacked "$KIOSK_DEB" "$BUNDLE_DEB"
ok "unpacked (dpkg -x): stripped programs answer --version; the packaged config parses"

if [ -n "${KIOSK_RELEASE_PACKAGES:-}" ]; then
    rel=$KIOSK_RELEASE_PACKAGES
    [ -f "$rel/sunshine-kiosk_${VERSION}_$ARCH.deb" ] && [ -f "$rel/sunshine-kiosk-bundle_${VERSION}_$ARCH.deb" ] ||
        die "no release packages in $rel (deploy/dev package makes them)"
    [ -f "$rel/lintian.txt" ] && ! grep -q '^E: ' "$rel/lintian.txt" || die "$rel/lintian.txt has errors or is missing"
    check_unpacked "$rel/sunshine-kiosk_${VERSION}_$ARCH.deb" "$rel/sunshine-kiosk-bundle_${VERSION}_$ARCH.deb"
    ok "the release packages in $rel: lintian without errors, programs run"
fi
echo "packages: $CHECKS checks passed"
