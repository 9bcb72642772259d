# deploy/dev says which step and which command failed, not just an exit status: a build step is
# made to fail by a stand-in cmake first on PATH (nothing is built or changed).
source "$(dirname "$0")/lib.sh"
mkdir -p "$WORK/bin"
printf '#!/bin/sh\necho "cmake stand-in: refusing" >&2\nexit 7\n' >"$WORK/bin/cmake"
chmod +x "$WORK/bin/cmake"
rc=0
out=$(PATH="$WORK/bin:$PATH" "$KIOSK_SRC/deploy/dev" build 2>&1) || rc=$?
[ "$rc" -ne 0 ] || die "deploy/dev build succeeded with a failing cmake"
grep -qF 'deploy/dev build: failed while building preset dev: cmake --preset' <<<"$out" &&
    grep -qF 'exited 7' <<<"$out" || die "no step named in the failure: $out"
ok "a failing step names the step, the command and its exit status"
rc=0
out=$("$KIOSK_SRC/deploy/dev" nonsense 2>&1) || rc=$?
[ "$rc" -eq 2 ] && grep -q "usage: deploy/dev run|test|bench|build|dates" <<<"$out" || die "usage: $out"
ok "an unknown command prints the usage"
echo "dev_script: $CHECKS checks passed"
