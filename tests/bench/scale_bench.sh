# Costs against the size of the content: for bundles of 43 (the sample), 1,000 and 10,000
# documents (gen_source.py) and for the sample plus one article holding all 6,763 GB2312
# characters (made here from Python's gb2312 codec), the release kiosk's start to its first
# frame, its PSS 5 s after start (on the home screen) and its font atlas.
#   KIOSK_BIN=build/release KIOSK_SRC=. bash tests/bench/scale_bench.sh
# RUNS=N (default 3) runs per bundle, medians; each run alone on a fresh Xvfb 1920x1080x24, the
# software renderer, measured from outside as kiosk_vs_chromium.sh measures it (process start
# until the X server's screen shows the attract screen, read every 20 ms; Pss summed from
# /proc/PID/smaps_rollup). The atlas figures are the kiosk's own KIOSK_TRACE lines.
set -euo pipefail
: "${KIOSK_BIN:?}" "${KIOSK_SRC:?}"
runs=${RUNS:-3}
work=$(mktemp -d /tmp/kiosk-scale-XXXXXX)
trap 'rm -rf "$work"' EXIT
source "$KIOSK_SRC/tests/ui/kiosk_state.sh"

# The contents.
python3 "$KIOSK_SRC/tests/bench/gen_source.py" "$work/src-1000" --docs 1000 >/dev/null
python3 "$KIOSK_SRC/tests/bench/gen_source.py" "$work/src-10000" --docs 10000 >/dev/null
kiosk_allchars_source "$work/src-allchars" 99
names=(sample 1000 10000 allchars)
srcs=("$KIOSK_SRC/content" "$work/src-1000" "$work/src-10000" "$work/src-allchars")
for i in "${!names[@]}"; do
    mkdir -p "$work/${names[$i]}"
    kiosk_keys "$work/${names[$i]}"
    kiosk_config "$work/${names[$i]}" software
    kiosk_bundle "$work/${names[$i]}" "${srcs[$i]}" 1
    kiosk_import "$work/${names[$i]}" 1
done

python3 -u - "$work" "$KIOSK_BIN/kiosk" "$runs" "${names[@]}" <<'PY'
import ctypes, os, re, signal, statistics, subprocess, sys, time

work, kiosk_bin, runs, names = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
W, H = 1920, 1080
x11 = ctypes.CDLL("libX11.so.6")
x11.XOpenDisplay.restype = ctypes.c_void_p
x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
x11.XDefaultRootWindow.restype = ctypes.c_ulong
x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
x11.XGetImage.restype = ctypes.c_void_p
x11.XGetImage.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int,
                          ctypes.c_uint, ctypes.c_uint, ctypes.c_ulong, ctypes.c_int]
x11.XGetPixel.restype = ctypes.c_ulong
x11.XGetPixel.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
x11.XDestroyImage.argtypes = [ctypes.c_void_p]
x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
x11.XFlush.argtypes = [ctypes.c_void_p]
xtst = ctypes.CDLL("libXtst.so.6")
xtst.XTestFakeMotionEvent.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_ulong]
xtst.XTestFakeButtonEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
BAR, PAPER, WHITE = (168, 62, 20), (247, 245, 240), (255, 255, 255)
ATTRACT = [((20, 20), BAR), ((1900, 300), BAR), ((1900, 1070), PAPER)]
HOME = [((10, 60), BAR), ((1910, 60), BAR), ((472, 373), WHITE), ((1900, 1070), PAPER)]

def shows(dpy, root, checks):
    for (x, y), want in checks:
        img = x11.XGetImage(dpy, root, x, y, 1, 1, 0xFFFFFFFF, 2)
        p = x11.XGetPixel(img, 0, 0)
        x11.XDestroyImage(img)
        got = ((p >> 16) & 255, (p >> 8) & 255, p & 255)
        if any(abs(a - b) > 4 for a, b in zip(got, want)):
            return False
    return True

def wait_for(dpy, root, checks, proc, t0):
    while not shows(dpy, root, checks):
        if proc.poll() is not None or time.monotonic() - t0 > 30:
            raise SystemExit("the kiosk did not show the screen")
        time.sleep(0.02)
    return (time.monotonic() - t0) * 1000

def one(name):
    r, w = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", "%dx%dx24" % (W, H),
                             "-nolisten", "tcp", "-noreset"], pass_fds=(w,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(w)
    data = b""
    while not data.endswith(b"\n"):
        data += os.read(r, 64)
    os.close(r)
    display = int(data)
    dpy = None
    for _ in range(100):
        dpy = x11.XOpenDisplay((":%d" % display).encode())
        if dpy:
            break
        time.sleep(0.02)
    root = x11.XDefaultRootWindow(dpy)
    env = dict(os.environ, DISPLAY=":%d" % display, KIOSK_TRACE="1",
               DBUS_SESSION_BUS_ADDRESS="disabled:")
    err = os.path.join(work, name + ".log")
    t0 = time.monotonic()
    proc = subprocess.Popen([kiosk_bin, "--config", os.path.join(work, name, "kiosk.toml"),
                             "--window", "%dx%d" % (W, H)], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=open(err, "wb"))
    try:
        out = {"first_ms": wait_for(dpy, root, ATTRACT, proc, t0)}
        xtst.XTestFakeMotionEvent(dpy, -1, W // 2, 700, 0)
        xtst.XTestFakeButtonEvent(dpy, 1, 1, 0)
        x11.XFlush(dpy)
        time.sleep(0.06)
        xtst.XTestFakeButtonEvent(dpy, 1, 0, 0)
        x11.XFlush(dpy)
        wait_for(dpy, root, HOME, proc, t0)
        time.sleep(max(0, t0 + 5 - time.monotonic()))
        pss = 0
        for line in open("/proc/%d/smaps_rollup" % proc.pid):
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
        out["pss_mb"] = pss / 1024
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        x11.XCloseDisplay(dpy)
        xvfb.kill()
        xvfb.wait()
    log = open(err, errors="replace").read()
    m = re.findall(r"^trace: first-frame-ms ([\d.]+)", log, re.M)
    out["trace_first_ms"] = float(m[0]) if m else None
    m = re.findall(r"^trace: content-ms ([\d.]+)", log, re.M)
    out["content_ms"] = float(m[0]) if m else None
    atlases = re.findall(r"^trace: atlas (\d+x\d+) glyphs (\d+) build-ms ([\d.]+)", log, re.M)
    cache = re.findall(r"^trace: glyph-cache (\d+x\d+) resident (\d+) rasterised (\d+)", log, re.M)
    if cache:  # a glyph cache: its size and what it holds at the end (on the home screen)
        out["atlas"] = "%s, %s glyphs resident (%s rasterised), built in %s ms" % (
            cache[0][0], cache[0][1], cache[0][2], atlases[-1][2] if atlases else "?")
    elif atlases:  # prebuilt atlases: the last (full) one
        out["atlas"] = "%s, %s glyphs, built in %s ms" % atlases[-1]
    return out

print("setup: %s; Xvfb %dx%dx24, software renderer; %d run(s) per bundle, medians; load %s"
      % (kiosk_bin, W, H, runs, open("/proc/loadavg").read().split()[0]))
for name in names:
    one(name)  # untimed: page cache warm
    rs = [one(name) for _ in range(runs)]
    med = lambda k: statistics.median(r[k] for r in rs if r[k] is not None)
    mb = os.path.getsize(os.path.join(work, name, "b1.kbundle")) / 1e6
    print("%-9s (%5.1f MB) first frame %4.0f ms (runs %s; kiosk's trace: SDL init to first frame %.0f ms, "
          "content %.0f ms) | PSS after 5 s %4.1f MB | atlas %s"
          % (name, mb, med("first_ms"), "/".join("%.0f" % r["first_ms"] for r in rs),
             med("trace_first_ms"), med("content_ms"), med("pss_mb"), rs[-1].get("atlas", "?")))
PY
