# renderers_agree.sh SOFTWARE_SHOTS OPENGL_SHOTS: the same replay drawn by both renderers must give
# the same screens. Edges may be smoothed differently and scaled glyphs land a pixel apart, so a
# pixel only counts as different when nothing within 2 px of it matches; at most 0.5 % may
# (measured: up to 0.1 %; two different screens: 4-7 %, one missing line of text: about 1-2 %).
set -euo pipefail
: "${KIOSK_BIN:?}"
sw=$1 gl=$2
n=0
for a in "$sw"/*.png; do
    b="$gl/$(basename "$a")"
    [ -f "$b" ] || { echo "no OpenGL screenshot for $(basename "$a")" >&2; exit 1; }
    "$KIOSK_BIN/image_diff" "$a" "$b" 0.005
    n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "no screenshots in $sw" >&2; exit 1; }
echo "$n screens agree"
