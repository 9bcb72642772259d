# The kiosk's start, as a person would see it (interactive mode, not a replay): the first frame is
# drawn from a small atlas of the attract screen's characters, and the full atlas arrives after it
# from the worker thread; SIGTERM ends the program cleanly. Read from its KIOSK_TRACE=1 lines.
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
atlases = [(i, int(re.search(r"glyphs (\d+)", l).group(1))) for i, l in enumerate(lines)
           if l.startswith("trace: atlas ")]
first = index(r"^trace: first-frame-ms ")
if len(atlases) != 2:
    sys.exit("startup: expected two atlases (first screen, then full), saw %d" % len(atlases))
(a1, n1), (a2, n2) = atlases
if not a1 < first < a2:
    sys.exit("startup: the first frame should come between the first-screen atlas and the full one")
if not n1 < n2:
    sys.exit("startup: the first-screen atlas (%d glyphs) should be smaller than the full one (%d)" % (n1, n2))
if any("kiosk:" in l for l in lines):
    sys.exit("startup: the kiosk logged a problem")
print("startup: first frame from a %d-glyph atlas, then the full %d-glyph one" % (n1, n2))
PY
