# Sourced by the scripts that run the real kiosk (UI tests, benchmarks): a state folder of its own
# with a county signing key, a kiosk.toml for it, and signed bundles. Needs KIOSK_BIN.

# kiosk_keys WORK: a county signing key pair in WORK/keys.
kiosk_keys() {
    "$KIOSK_BIN/kiosk-bundle" keygen --out "$1/keys" >/dev/null
}

# kiosk_config WORK RENDERER [FILE]: a kiosk.toml (default WORK/kiosk.toml) for the state folder
# WORK/state, trusting WORK/keys, drawing with RENDERER (software | opengl | auto).
kiosk_config() {
    cat >"${3:-$1/kiosk.toml}" <<TOML
[paths]
state_dir = "$1/state"
[bundle]
scope = "demo-county"
trusted_keys = ["$1/keys/county.pub"]
[ui]
renderer = "$2"
TOML
}

# kiosk_bundle WORK SRC VERSION [SQL]: builds SRC as WORK/bVERSION.kbundle, applies the SQL file
# to it if given (what no source would pass), and signs it. It is dated by the pinned clock
# (KIOSK_NOW) when there is one, else today, so it is valid whatever day the tests run.
kiosk_bundle() {
    local b="$1/b$3.kbundle" created=()
    [ -n "${KIOSK_NOW:-}" ] || created=(--created "$(date -u +%Y-%m-%d)")
    "$KIOSK_BIN/kiosk-bundle" build "$2" --out "$b" --version "$3" "${created[@]}" >/dev/null
    [ -z "${4:-}" ] || sqlite3 "$b" <"$4"
    "$KIOSK_BIN/kiosk-bundle" sign "$b" --key "$1/keys/county.key" >/dev/null
}

# kiosk_import WORK VERSION [CONFIG]: installs WORK/bVERSION.kbundle with kioskctl.
kiosk_import() {
    "$KIOSK_BIN/kioskctl" --config "${3:-$1/kiosk.toml}" import "$1/b$2.kbundle" >/dev/null
}

# kiosk_sample_state WORK RENDERER: all of the above at once: keys, a kiosk.toml, and the sample
# content built as version 1, signed and installed.
kiosk_sample_state() {
    kiosk_keys "$1"
    kiosk_config "$1" "$2"
    kiosk_bundle "$1" "$KIOSK_SRC/content" 1
    kiosk_import "$1" 1
}
