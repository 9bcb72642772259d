# How long each renderer takes to draw a frame while a finger scrolls the longest policy document,
# at 1920x1080 under Xvfb: the release kiosk replays a script with KIOSK_TRACE=1 and waits for
# each frame to be drawn (SDL_RenderFlush / glFinish) to time it. "all frames" is every frame of
# the replay (the taps that open the document included); "scrolling" only those that moved the
# page. KIOSK_FULL_REDRAW=1 makes the software renderer draw every pixel of every frame, as it did
# before it kept the last frame's pixels. The UI's own CPU per frame,
# without drawing, is bench_ui_frame's figure.
#   KIOSK_BIN=build/release KIOSK_SRC=. bash tests/bench/raster_bench.sh
set -euo pipefail
: "${KIOSK_BIN:?}" "${KIOSK_SRC:?}"
work=$(mktemp -d /tmp/kiosk-raster-XXXXXX)
trap 'rm -rf "$work"' EXIT
source "$KIOSK_SRC/tests/ui/kiosk_state.sh"
kiosk_keys "$work"
kiosk_bundle "$work" "$KIOSK_SRC/content" 1
cat >"$work/scroll.replay" <<'REPLAY'
tap "触摸屏幕开始使用"
tap "政策法规"
tap "省人口与计划生育条例"
drag 900 900 900 300 400
wait 1500
drag 900 900 900 200 300
wait 1500
drag 900 300 900 900 300
wait 1500
tap "首页"
wait 500
REPLAY
for renderer in software opengl; do
    kiosk_config "$work" "$renderer"
    [ -e "$work/state/bundles/current" ] || kiosk_import "$work" 1
    KIOSK_TRACE=1 DBUS_SESSION_BUS_ADDRESS=disabled: xvfb-run -a -n $((100 + RANDOM % 800)) \
        -s "-screen 0 1920x1080x24" "$KIOSK_BIN/kiosk" --config "$work/kiosk.toml" \
        --window 1920x1080 --replay "$work/scroll.replay" >"$work/trace" 2>&1 || true
    line=$(grep '^trace: raster-ms frames' "$work/trace") ||
        { echo "raster_bench: the $renderer replay printed no timing" >&2; exit 1; }
    echo "$renderer: all frames: ${line#trace: raster-ms }"
    # Only the frames that moved the page (kiosks built before this line existed print none).
    if line=$(grep '^trace: raster-ms-scrolling' "$work/trace"); then
        echo "$renderer: scrolling:  ${line#trace: raster-ms-scrolling }"
    fi
    if [ "$renderer" = software ] && line=$(grep '^trace: damage' "$work/trace"); then
        echo "  ${line#trace: }"
    fi
done
