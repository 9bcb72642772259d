# The kiosk's start, as a person would see it (interactive mode, not a replay): one atlas, an empty
# glyph cache made on the worker thread, comes before the first frame (no atlas is rebuilt for the
# content: glyphs are rasterised as they are first drawn), the glyphs drawn are in it at the end,
# none overflowed it; SIGTERM ends the program cleanly. Read from its KIOSK_TRACE=1 lines.
set -euo pipefail
: "${KIOSK_BIN:?}" "${KIOSK_SRC:?}"
work=$(mktemp -d /tmp/kiosk-startup-XXXXXX)
trap 'rm -rf "$work"' EXIT
source "$KIOSK_SRC/tests/ui/kiosk_state.sh"
kiosk_sample_state "$work" software

export DBUS_SESSION_BUS_ADDRESS=disabled: KIOSK_TRACE=1
rc=0
xvfb-run -a -n $((100 + RANDOM % 800)) -s "-screen 0 1280x720x24" sh -c \
    "\"$KIOSK_BIN/kiosk\" --config \"$work/kiosk.toml\" --window 1280x720 2>\"$work/trace\" &
     pid=\$!; sleep 3; kill -TERM \$pid; wait \$pid" || rc=$?
cat "$work/trace"
[ "$rc" -eq 0 ] || { echo "startup: the kiosk did not end cleanly on SIGTERM (exit $rc)" >&2; exit 1; }
python3 - "$work/trace" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
def index(pattern):
    for i, l in enumerate(lines):
        if re.search(pattern, l):
            return i
    sys.exit("startup: no line matching %r" % pattern)
atlases = [i for i, l in enumerate(lines) if l.startswith("trace: atlas ")]
first = index(r"^trace: first-frame-ms ")
if len(atlases) != 1:
    sys.exit("startup: expected one atlas (the glyph cache), saw %d" % len(atlases))
if not atlases[0] < first:
    sys.exit("startup: the first frame should come after the atlas")
cache = lines[index(r"^trace: glyph-cache ")]
m = re.search(r"resident (\d+) rasterised (\d+) evicted-pages (\d+) overflows (\d+)", cache)
resident, rasterised, evicted, overflows = map(int, m.groups())
if rasterised < 50 or overflows:
    sys.exit("startup: the attract screen's glyphs should be rasterised without overflow: " + cache)
if any("kiosk:" in l for l in lines):
    sys.exit("startup: the kiosk logged a problem")
print("startup: first frame from the glyph cache; %d glyphs rasterised for it" % rasterised)
PY
