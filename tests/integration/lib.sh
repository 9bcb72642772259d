# Shared by the integration scripts: a scratch folder, the tools, and small assertions.
# Each script is one ctest test; it stops at the first failed check with a message.
set -euo pipefail
: "${KIOSK_BIN:?set KIOSK_BIN to the build folder}"
: "${KIOSK_SRC:?set KIOSK_SRC to the source folder}"
BUNDLE="$KIOSK_BIN/kiosk-bundle"
CTL="$KIOSK_BIN/kioskctl"
WORK=$(mktemp -d /tmp/kiosk-it-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
CHECKS=0
# Bundles that a test installs are dated today (whatever day the suite runs, faked or not), so they
# are valid for their 730 days; without --created they would carry the sample content's own date.
TODAY=$(date -u +%Y-%m-%d)

die() { echo "FAIL: $*" >&2; exit 1; }
ok() { CHECKS=$((CHECKS + 1)); echo "ok $CHECKS - $*"; }

# expect_refusal "substring" command...: the command must fail and print the substring.
expect_refusal() {
    local want=$1 out rc=0
    shift
    out=$("$@" 2>&1) || rc=$?
    [ "$rc" -ne 0 ] || die "expected failure containing '$want' from: $* (got success: $out)"
    grep -qF -- "$want" <<<"$out" || die "expected '$want' from: $*; got: $out"
    ok "refused with '$want'"
}

# A kiosk config in $WORK/state that trusts the given public key files.
write_config() {
    local keys="" k
    for k in "$@"; do keys+="\"$k\", "; done
    cat >"$WORK/kiosk.toml" <<TOML
[paths]
state_dir = "$WORK/state"
[bundle]
scope = "demo-county"
trusted_keys = [${keys%, }]
max_size_mb = 200
TOML
}

installed_version() {
    "$CTL" --config "$WORK/kiosk.toml" status --json | sed -n 's/^    "version": \([0-9]*\),$/\1/p' | head -1
}

# prints "text" command...: the command succeeds and its output contains the text.
# (Not `cmd | grep -q`: under pipefail, grep's early exit makes the writer fail with SIGPIPE.)
prints() {
    local want=$1 out
    shift
    out=$("$@" 2>&1) || die "failed: $* ($out)"
    grep -qF -- "$want" <<<"$out"
}
