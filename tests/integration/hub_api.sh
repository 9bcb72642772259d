# kiosk-hub end to end on 127.0.0.1 (port 0, a test CA from deploy/make-dev-ca, driven by curl):
# enrolment, uploads and their deduplication across a restart, heartbeats and staged rollout,
# bundle downloads, receipts and their rate limit, bad input of every kind, and the staff commands.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
HUB="$KIOSK_BIN/kiosk-hub"
ITEM="$KIOSK_BIN/hub_item"
FILL="$KIOSK_BIN/outbox_fill"
for t in "$HUB" "$ITEM" "$FILL"; do [ -x "$t" ] || die "build $t first"; done
SEAL_PUB="$KIOSK_SRC/config/dev/seal-demo-county.pub"  # the sample content's sealing pair
SEAL_KEY="$KIOSK_SRC/config/dev/seal-demo-county.key"
# One clock for the hub and its commands: now, from whatever clock the suite runs under.
T0=$(date -u +%s)
export KIOSK_NOW="@$T0"

"$KIOSK_SRC/deploy/make-dev-ca" tls >/dev/null
"$BUNDLE" keygen --out keys >/dev/null
write_config "$WORK/keys/county.pub"
for v in 1 2 3; do
    "$BUNDLE" build "$KIOSK_SRC/content" --out "v$v.kbundle" --version "$v" --created "$TODAY" >/dev/null
    "$BUNDLE" sign "v$v.kbundle" --key keys/county.key >/dev/null
done
cat >hub.toml <<TOML
[listen]
address = "127.0.0.1"
port = 0
[tls]
cert = "tls/server.pem"
key = "tls/server.key"
[storage]
database = "hub/hub.db"
publish_dir = "hub/published"
[bundle]
scope = "demo-county"
trusted_keys = ["keys/county.pub"]
[limits]
max_body_bytes = 262144
read_timeout_s = 5
write_timeout_s = 5
keep_alive_max_count = 20
keep_alive_timeout_s = 2
threads = 4
receipt_delay_ms = 50
receipt_lookups_per_minute = 12
[fleet]
offline_after_min = 30
TOML
mkdir -p hub
H() { "$HUB" --config hub.toml "$@"; }

HUB_PID=""
start_hub() {
    "$HUB" --config hub.toml serve >hub.out 2>>hub.log &
    HUB_PID=$!
    local i
    for i in $(seq 1 100); do
        grep -q "^listening on https://127.0.0.1:[0-9]*$" hub.out 2>/dev/null && break
        kill -0 "$HUB_PID" 2>/dev/null || die "kiosk-hub exited: $(cat hub.log)"
        sleep 0.1
    done
    PORT=$(sed -n 's/^listening on https:\/\/127.0.0.1:\([0-9]*\)$/\1/p' hub.out)
    [ -n "$PORT" ] || die "kiosk-hub did not say where it listens"
    BASE="https://127.0.0.1:$PORT/api/v1"
}
stop_hub() {
    kill -TERM "$HUB_PID"
    local rc=0
    wait "$HUB_PID" || rc=$?
    [ "$rc" -eq 0 ] || die "kiosk-hub exited with $rc on SIGTERM: $(tail -5 hub.log)"
    HUB_PID=""
}
trap '[ -n "$HUB_PID" ] && kill "$HUB_PID" 2>/dev/null; rm -rf "$WORK"' EXIT

# req METHOD PATH [TOKEN] [curl args...]: the status code; the body lands in ./body, headers in
# ./headers. --path-as-is: the path reaches the hub exactly as written.
req() {
    local method=$1 path=$2 token=${3:-} auth=()
    shift 3 || shift $#
    [ -n "$token" ] && auth=(-H "Authorization: Bearer $token")
    rm -f body headers
    # application/json as the kiosk sends it (httplib caps form-encoded bodies at 8 KiB).
    curl -sS --path-as-is --cacert tls/ca.pem -X "$method" "${auth[@]}" -D headers -o body \
        -H "Content-Type: application/json" \
        -w '%{http_code}' "$@" "https://127.0.0.1:$PORT$path"
}
expect() {  # expect CODE METHOD PATH TOKEN [curl args]
    local want=$1 got
    shift
    got=$(req "$@")
    [ "$got" = "$want" ] || die "$1 $2: HTTP $got, expected $want: $(head -c 300 body)"
}
json_field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" body; }
count() { H list --json | grep -c '"id":' || true; }

start_hub
ok "kiosk-hub listens on a free port ($PORT)"

# ---- enrolment ----
code_for() { H enroll-code --township "$1" "${@:2}" | tail -n 1; }
CODE_A=$(code_for A)
[[ "$CODE_A" =~ ^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$ ]] || die "code: $CODE_A"
expect 200 POST /api/v1/enroll "" -d "{\"code\":\"$CODE_A\",\"hostname\":\"hall-a\"}"
TOKEN_A=$(json_field token)
KIOSK_A=$(json_field kiosk_id)
[[ "$TOKEN_A" =~ ^[0-9a-f]{64}$ && "$KIOSK_A" =~ ^k-[0-9a-f]{16}$ ]] || die "enroll: $(cat body)"
grep -qF '"township":"A"' body || die "enroll township: $(cat body)"
expect 403 POST /api/v1/enroll "" -d "{\"code\":\"$CODE_A\"}"
grep -qF '"error":"bad_code"' body || die "replayed code: $(cat body)"
OLD=$(KIOSK_NOW="@$((T0 - 3 * 3600))" "$HUB" --config hub.toml enroll-code --township A --valid-hours 1 | tail -n 1)
expect 403 POST /api/v1/enroll "" -d "{\"code\":\"$OLD\"}"
expect 403 POST /api/v1/enroll "" -d '{"code":"0000-0000-0000-0000"}'
expect 400 POST /api/v1/enroll "" -d '{"code":12}'
grep -qF "'code' is not a string" body || die "decoder message: $(cat body)"
! grep -qF "$TOKEN_A" hub/hub.db hub/hub.db-wal 2>/dev/null || die "the token is stored in the clear"
ok "enrolment: a code works once; replayed, expired and unknown codes get 403 bad_code"
# lower case and without dashes is the same code
CODE_B=$(code_for B)
expect 200 POST /api/v1/enroll "" -d "{\"code\":\"$(tr -d - <<<"$CODE_B" | tr A-Z a-z)\"}"
TOKEN_B=$(json_field token)
CODE_C=$(code_for C)
expect 200 POST /api/v1/enroll "" -d "{\"code\":\"$CODE_C\"}"
TOKEN_C=$(json_field token)
KIOSK_C=$(json_field kiosk_id)

# ---- heartbeat, publishing, staged rollout ----
HB='{"app_version":"0.1.0","bundle_version":0,"queue_depth":3,"oldest_item_age_s":60,"free_disk_bytes":1000000,"clock":1,"last_error":"none yet"}'
expect 200 POST /api/v1/heartbeat "$TOKEN_A" -d "$HB"
grep -qF '"bundle":null' body || die "offer before any publish: $(cat body)"
grep -qF "\"server_time\":$T0" body || grep -qE '"server_time":[0-9]+' body || die "server time"
cp v1.kbundle tampered.kbundle
cp v1.kbundle.minisig tampered.kbundle.minisig
printf 'X' | dd of=tampered.kbundle bs=1 seek=5000 conv=notrunc 2>/dev/null
expect_refusal "bundle refused (bad_signature)" H publish tampered.kbundle
prints "published bundle version 1" H publish v1.kbundle || die "publish v1"
expect_refusal "bundle refused (not_newer)" H publish v1.kbundle
[ -z "$(ls -A hub/published | grep -v '^v0000000001')" ] || die "refused bundles left files: $(ls -A hub/published)"
expect 200 POST /api/v1/heartbeat "$TOKEN_A" -d "$HB"
grep -qF '"version":1' body && grep -qF '"url":"/api/v1/bundles/1.kbundle"' body || die "offer v1: $(cat body)"
SHA1=$(sha256sum v1.kbundle | cut -d' ' -f1)
grep -qF "\"sha256\":\"$SHA1\"" body || die "offer sha256: $(cat body)"
ok "publish refuses a tampered and a not-newer bundle; the heartbeat then offers the published one"
prints "to townships A" H publish v2.kbundle --townships A || die "staged publish"
expect 200 POST /api/v1/heartbeat "$TOKEN_A" -d "$HB"
grep -qF '"version":2' body || die "township A should get v2: $(cat body)"
expect 200 POST /api/v1/heartbeat "$TOKEN_B" -d "$HB"
grep -qF '"version":1' body || die "township B should keep v1: $(cat body)"
ok "staged rollout: township A is offered v2, township B keeps v1"

# ---- bundle downloads ----
expect 200 GET /api/v1/bundles/1.kbundle "$TOKEN_B" 
[ "$(sha256sum <body | cut -d' ' -f1)" = "$SHA1" ] || die "downloaded bundle differs"
grep -qi "^etag: \"$SHA1\"" headers || die "etag: $(cat headers)"
expect 206 GET /api/v1/bundles/1.kbundle "$TOKEN_B" -H "Range: bytes=1000-1999"
cmp -s body <(tail -c +1001 v1.kbundle | head -c 1000) || die "range bytes differ"
grep -qi "^content-range: bytes 1000-1999/$(stat -c %s v1.kbundle)" headers || die "content-range: $(cat headers)"
expect 206 GET /api/v1/bundles/1.kbundle "$TOKEN_B" -H "Range: bytes=4096-"
cmp -s body <(tail -c +4097 v1.kbundle) || die "open range bytes differ"
expect 416 GET /api/v1/bundles/1.kbundle "$TOKEN_B" -H "Range: bytes=999999999-"
expect 304 GET /api/v1/bundles/1.kbundle "$TOKEN_B" -H "If-None-Match: \"$SHA1\""
[ ! -s body ] || die "304 with a body"
expect 200 GET /api/v1/bundles/1.kbundle.minisig "$TOKEN_B"
cmp -s body v1.kbundle.minisig || die "signature differs"
expect 404 GET /api/v1/bundles/3.kbundle "$TOKEN_B"
expect 401 GET /api/v1/bundles/1.kbundle ""
ok "bundles: whole, Range (206, 416), ETag and If-None-Match (304), the .minisig; unpublished 404"
for p in /api/v1/bundles/../x /api/v1/bundles/%2e%2e/%2e%2e/hub.toml "/api/v1/bundles/1.kbundle/../../" \
    /api/v1/bundles/01.kbundle /api/v1/bundles/-1.kbundle /api/v1/bundles/1.kbundle%00 \
    /api/v1/bundles/v0000000001.kbundle \
    /api/v1/bundles/%2fetc%2fpasswd /api/v1/bundles/; do
    code=$(req GET "$p" "$TOKEN_B")
    case $code in 400 | 404) ;; *) die "$p: HTTP $code" ;; esac
    ! grep -q "SQLite format" body || die "$p served a file"
done
ok "path tricks under /bundles (.., %2e%2e, NUL, leading zeros, slashes) are refused"

# ---- submissions ----
"$ITEM" "$SEAL_PUB" report '{"kind":"report","category":"illegal-fees","real_name":false}' "王主任收了我五百元" new >r1.json 2>r1.code
RCODE=$(cat r1.code)
RID=$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' r1.json)
RKEY=$(sed -n 's/.*"lookup_key":"\([^"]*\)".*/\1/p' r1.json)
"$ITEM" "$SEAL_PUB" rating '{"kind":"rating","target_id":"county-service-window","level":2,"reasons":["fees"]}' "slow" >r2.json
"$ITEM" "$SEAL_PUB" consultation '{"kind":"consultation"}' "how do I" new >r3.json 2>/dev/null
batch() { printf '{"items":[%s]}' "$(cat "$@" | paste -sd,)"; }
batch r1.json r2.json r3.json >good.json
expect 200 POST /api/v1/submissions "$TOKEN_A" --data-binary @good.json
[ "$(grep -o '"status":"stored"' body | wc -l)" = 3 ] || die "stored: $(cat body)"
expect 200 POST /api/v1/submissions "$TOKEN_A" --data-binary @good.json
[ "$(grep -o '"status":"duplicate"' body | wc -l)" = 3 ] || die "duplicate: $(cat body)"
[ "$(count)" = 3 ] || die "count after upload: $(count)"
stop_hub
grep -q "kiosk-hub: stopped" hub.log || die "no clean stop line"
start_hub
expect 200 POST /api/v1/submissions "$TOKEN_B" --data-binary @good.json
[ "$(grep -o '"status":"duplicate"' body | wc -l)" = 3 ] || die "duplicate after restart: $(cat body)"
[ "$(count)" = 3 ] || die "count after restart"
ok "items are stored once, then duplicate, also after a restart (SIGTERM stops the hub cleanly)"
"$ITEM" "$SEAL_PUB" report '{"kind":"report","category":"no-such-category"}' x >b1.json
"$ITEM" "$SEAL_PUB" rating '{"kind":"rating","target_id":"nowhere","level":2}' x >b2.json
"$ITEM" "$SEAL_PUB" rating '{"kind":"rating","target_id":"county-service-window","level":9}' x >b3.json
"$ITEM" "$SEAL_PUB" rating '{"kind":"report","category":"illegal-fees"}' x >b4.json
"$ITEM" "$SEAL_PUB" rating '{"kind":"rating","target_id":"county-service-window","level":5,"reasons":["fees"]}' x >b5.json
batch b1.json b2.json b3.json b4.json b5.json >bad.json
expect 200 POST /api/v1/submissions "$TOKEN_A" --data-binary @bad.json
for reason in unknown_category unknown_target bad_level kind_mismatch bad_reason; do
    grep -qF "\"reason\":\"$reason\"" body || die "no $reason: $(cat body)"
done
[ "$(count)" = 3 ] || die "rejected items were stored"
ok "unknown category, unknown target, bad level, kind mismatch, reasons on a good rating: rejected, not stored"

# ---- bad input ----
expect 400 POST /api/v1/submissions "$TOKEN_A" -d '{"items":'
grep -qF '"error":"malformed"' body && grep -qF "not JSON" body || die "malformed: $(cat body)"
expect 400 POST /api/v1/submissions "$TOKEN_A" -d '{"items":"x"}'
grep -qF "'items' is not an array" body || die "wrong type: $(cat body)"
expect 400 POST /api/v1/heartbeat "$TOKEN_A" -d '{"queue_depth":"many"}'
head -c 300000 /dev/zero | tr '\0' 'a' >big.json
expect 413 POST /api/v1/submissions "$TOKEN_A" --data-binary @big.json
expect 401 POST /api/v1/submissions "" --data-binary @good.json
expect 401 POST /api/v1/submissions "0000000000000000000000000000000000000000000000000000000000000000" --data-binary @good.json
grep -qi "^www-authenticate: Bearer" headers || die "401 without WWW-Authenticate"
expect 404 GET /api/v1/nothing "$TOKEN_A"
expect 404 GET / ""
expect 405 GET /api/v1/submissions "$TOKEN_A"
grep -qi "^allow: POST" headers || die "405 without Allow"
expect 405 DELETE /api/v1/bundles/1.kbundle "$TOKEN_A"
[ "$(count)" = 3 ] || die "bad input stored something"
ok "malformed JSON, wrong types, 413, no or unknown token (401), 404, 405: nothing stored"
H revoke "$KIOSK_C" >/dev/null
expect 401 POST /api/v1/heartbeat "$TOKEN_C" -d "$HB"
grep -qF "revoked" body || die "revoked: $(cat body)"
expect_refusal "no terminal k-nope" H revoke k-nope
ok "a revoked terminal's token gets 401"

# ---- receipts ----
expect 200 GET "/api/v1/receipts/$RKEY" "$TOKEN_B"
grep -qF '"status":"received"' body || die "receipt: $(cat body)"
t=$(curl -sS --cacert tls/ca.pem -H "Authorization: Bearer $TOKEN_B" -o /dev/null -w '%{time_starttransfer}' "$BASE/receipts/$(printf '%064d' 7)")
awk -v t="$t" 'BEGIN { exit !(t >= 0.05) }' || die "an unknown key was answered in $t s (< the 50 ms delay)"
expect 404 GET "/api/v1/receipts/$(printf '%064d' 8)" "$TOKEN_B"
expect 400 GET "/api/v1/receipts/XYZ" "$TOKEN_B"
prints "is now answered" H reply "$RID" --status answered --text "已退还五百元，当事人已受处分。" || die "reply"
expect 200 GET "/api/v1/receipts/$RKEY" "$TOKEN_A"
grep -qF '"status":"answered"' body && grep -qF "已退还五百元" body || die "reply not shown: $(cat body)"
expect_refusal "--status must be" H reply "$RID" --status done --text x
ok "receipts: known key answers its status and, after 'kiosk-hub reply', the reply; unknown 404 after the delay"
limited=0
for i in $(seq 1 20); do
    code=$(req GET "/api/v1/receipts/$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" "$TOKEN_A")
    if [ "$code" = 429 ]; then
        limited=$((limited + 1))
        grep -qiE "^retry-after: [0-9]+" headers || die "429 without Retry-After"
    else
        [ "$code" = 404 ] || die "random look-up: HTTP $code"
    fi
done
[ "$limited" -gt 0 ] || die "20 look-ups in a row were never rate-limited"
[ "$(count)" = 3 ] || die "look-ups stored something"
ok "many random look-ups: 404 then 429 with Retry-After ($limited of 20); nothing stored"
! grep -qF "$RKEY" hub.log || die "the log holds a look-up key"
! grep -qF "$TOKEN_A" hub.log || die "the log holds a token"
grep -qE "^GET /api/v1/receipts/… (200|404|429) [0-9.]+ ms$" hub.log || die "receipt log line: $(grep receipts hub.log | head -2)"
grep -qE "^POST /api/v1/submissions 200 [0-9.]+ ms$" hub.log || die "no request log line"
ok "one log line per request, without look-up keys or tokens"

# ---- staff commands ----
out=$(H show "$RID" --secret-key "$SEAL_KEY")
grep -qF "王主任收了我五百元" <<<"$out" && grep -qF "$RCODE" <<<"$out" || die "show: $out"
"$BUNDLE" keygen --out other --seal >/dev/null
expect_refusal "cannot open submission" H show "$RID" --secret-key other/seal.key
ok "show opens a sealed item with the county's key file, and not with another"
json=$(H list --json)
grep -qF "\"id\": \"$RID\"" <<<"$json" || die "list --json: $json"
grep -qF '"category": "illegal-fees"' <<<"$json" || die "list meta"
! grep -qF "王主任" <<<"$json" || die "list shows sealed content"
[ "$(H list --json --status answered | grep -c '"id":')" = 1 ] || die "list --status"
prints "3 submissions" H list || die "list"
ok "list (--json, --status) shows metadata and status, never content"
json=$(H fleet --json)
grep -qF '"state": "online"' <<<"$json" && grep -qF '"queue_depth": 3' <<<"$json" || die "fleet: $json"
grep -qF '"state": "revoked"' <<<"$json" || die "fleet revoked"
out=$(KIOSK_NOW="@$((T0 + 7200))" "$HUB" --config hub.toml fleet)
[ "$(grep -c OFFLINE <<<"$out")" = 2 ] || die "fleet 2 h later: $out"
ok "fleet shows heartbeats and queues, and marks terminals silent for 2 h OFFLINE"

# ---- import of `kioskctl outbox export` files ----
"$FILL" state 4 consultation "exported" >/dev/null
mkdir usb
"$CTL" --config kiosk.toml outbox export usb >/dev/null
f=$(ls usb/*.jsonl)
prints "4 stored, 0 duplicate, 0 rejected" H import usb || die "import"
prints "0 stored, 4 duplicate, 0 rejected" H import "$f" || die "import again"
mkdir cut altered
head -c -40 "$f" >"cut/$(basename "$f")"
sed '2s/"created_at":[0-9]*/"created_at":1/' "$f" >"altered/$(basename "$f")"
expect_refusal "refused (incomplete)" H import cut
expect_refusal "refused (altered)" H import altered
[ "$(count)" = 7 ] || die "count after imports: $(count)"
ok "import stores an export once (then duplicates) and refuses a cut or altered file"

stop_hub
echo "hub_api: $CHECKS checks passed"
