# Command-line manners of kiosk, kioskctl and kiosk-bundle: --help prints the usage on stdout and
# exits 0, --version prints the name and the project's version and exits 0, wrong usage prints the
# usage on stderr and exits 2. Each man page renders without groff warnings and names every
# subcommand its program's usage lists.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

VERSION=$(sed -n 's/^project(sunshine_kiosk VERSION \([0-9.]*\).*/\1/p' "$KIOSK_SRC/CMakeLists.txt")
[ -n "$VERSION" ] || die "no project version in CMakeLists.txt"

PROGRAMS=(kioskctl kiosk-bundle)
if [ -x "$KIOSK_BIN/kiosk" ]; then PROGRAMS+=(kiosk); fi  # (not built with KIOSK_UI=OFF)

# run PROGRAM ARGS...: sets rc, out (stdout) and err (stderr).
run() {
    rc=0
    "$KIOSK_BIN/$1" "${@:2}" >out.txt 2>err.txt || rc=$?
    out=$(cat out.txt) err=$(cat err.txt)
}

for p in "${PROGRAMS[@]}"; do
    for h in --help -h; do
        run "$p" "$h"
        [ "$rc" -eq 0 ] || die "$p $h exited $rc"
        grep -q "^usage:" <<<"$out" || die "$p $h: no usage on stdout: $out"
        grep -qF "man $p" <<<"$out" || die "$p $h does not name the manual: $out"
        [ -z "$err" ] || die "$p $h wrote to stderr: $err"
    done
    ok "$p --help and -h print the usage on stdout, exit 0"

    run "$p" --version
    [ "$rc" -eq 0 ] && [ "$out" = "$p (Sunshine Kiosk) $VERSION" ] && [ -z "$err" ] ||
        die "$p --version: exit $rc, '$out', '$err'"
    ok "$p --version prints '$out'"

    for bad in "" "--no-such-option" "no-such-command"; do
        # shellcheck disable=SC2086 # (the empty case is no argument at all)
        run "$p" $bad
        [ "$rc" -eq 2 ] || die "$p ${bad:-(no arguments)} exited $rc, not 2"
        [ -z "$out" ] || die "$p ${bad:-(no arguments)} wrote to stdout: $out"
        grep -q "usage:" <<<"$err" || die "$p ${bad:-(no arguments)}: no usage on stderr: $err"
    done
    ok "$p with no arguments, an unknown option or an unknown command: usage on stderr, exit 2"
done

# --help is an answer wherever it is; --version only as the first argument (after `build` it is
# the bundle's version, so `kiosk-bundle build SRC --version 3` still builds version 3).
run kioskctl --config /nonexistent status --help
[ "$rc" -eq 0 ] && grep -q "^usage:" <<<"$out" || die "kioskctl ... --help: exit $rc"
"$BUNDLE" build "$KIOSK_SRC/content" --out v.kbundle --version 3 --created "$TODAY" >/dev/null
prints '"version": 3' "$BUNDLE" inspect v.kbundle --json || die "build --version 3"
ok "--help anywhere; kiosk-bundle build --version N is still the bundle's version"

# The man pages the build made from docs/man/*.scd.
MAN="$KIOSK_BIN/man"
if [ ! -d "$MAN" ]; then
    echo "no man pages in $MAN (scdoc missing at configure time?)" >&2
    exit 1
fi
for p in "${PROGRAMS[@]}"; do
    page=$(ls "$MAN/$p".[1-8].gz 2>/dev/null | head -1)
    [ -n "$page" ] || die "no man page for $p in $MAN"
    # (groff itself, as lintian runs it: man-db's sandbox does not start under faketime.)
    warnings=$(zcat "$page" | preconv -e UTF-8 | groff -mandoc -Tutf8 -ww -z 2>&1 || echo "groff failed")
    [ -z "$warnings" ] || die "$page: groff warnings: $warnings"
    text=$(zcat "$page" | preconv -e UTF-8 | groff -mandoc -Tutf8 -rLL=200n -P-cbou 2>/dev/null)
    for section in NAME SYNOPSIS DESCRIPTION "EXIT STATUS" EXAMPLES; do
        grep -q "^$section" <<<"$text" || die "$page has no $section section"
    done
    # Every subcommand the usage lists ("kioskctl --config FILE status", "kiosk-bundle build ..."),
    # and every option it names, is in the page.
    run "$p" --help
    words=$(sed -n "s/^ *$p \(--config FILE \)\{0,1\}\([a-z][a-z-]*\).*/\2/p" <<<"$out" | sort -u)
    options=$(grep -o -- '--[a-z][a-z-]*' <<<"$out" | sort -u)
    for w in $words $options; do
        grep -qF -- "$w" <<<"$text" || die "$p's usage names '$w' but its man page ($page) does not"
    done
    ok "$(basename "$page") renders cleanly and names $(wc -w <<<"$words $options") subcommands and options"
done
echo "cli_manners: $CHECKS checks passed"
