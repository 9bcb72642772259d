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

# kiosk_allchars_source DEST ORDER: the sample content plus one article (sort order ORDER) holding
# all 6,763 GB2312 characters, each once, made from Python's gb2312 codec, not stored: every
# screen of it is characters the glyph cache has not seen.
kiosk_allchars_source() {
    cp -r "$KIOSK_SRC/content" "$1"
    python3 - "$1/docs/policy/all-characters.md" "$2" <<'PY'
import sys
chars = []
for hi in range(0xB0, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.append(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
assert len(chars) == 6763, len(chars)
body = "\n\n".join("".join(chars[i:i + 40]) + "。" for i in range(0, len(chars), 40))
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write('+++\nid = "policy-all-characters"\nkind = "article"\ncategory = "policy"\n'
            'title = "常用汉字全表（测试）"\nsummary = "GB2312 的 6763 个汉字，每个一次。"\n'
            'issuer = "示例县人口和计划生育委员会"\nupdated = 2026-03-12\norder = %s\n+++\n\n'
            % sys.argv[2] + body + "\n")
PY
}
