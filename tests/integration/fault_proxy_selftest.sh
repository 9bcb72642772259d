# The sync tests' fault proxy (tests/helpers/fault_proxy.py) against a small HTTPS server, with curl
# as the client: every fault it claims to make, it makes; its counters count.
source "$(dirname "$0")/lib.sh"
source "$KIOSK_SRC/tests/helpers/sync_testlib.sh"
cd "$WORK"
make_certs certs

# The upstream: a tiny threaded HTTPS server. GET /blob: 100000 known bytes; POST /echo: the body.
cat >upstream.py <<'PY'
import http.server, ssl, sys
BLOB = bytes((i * 7) % 251 for i in range(100000))
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def reply(self, body):
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self): self.reply(BLOB)
    def do_POST(self):
        with open(sys.argv[2] + "/posts", "a") as f: f.write(self.path + "\n")
        self.reply(self.rfile.read(int(self.headers["Content-Length"])))
    def log_message(self, *a): pass
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1] + "/hub.crt", sys.argv[1] + "/hub.key")
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print(srv.server_address[1], flush=True)
srv.serve_forever()
PY
python3 upstream.py certs "$WORK" >upstream.port &
UPSTREAM_PID=$!
for _ in $(seq 100); do [ -s upstream.port ] && break; sleep 0.1; done
[ -s upstream.port ] || die "the test HTTPS server did not start"
python3 -c 'import sys; sys.stdout.buffer.write(bytes((i * 7) % 251 for i in range(100000)))' >blob.want

start_proxy proxy "127.0.0.1:$(cat upstream.port)" certs
trap 'stop_proxy proxy; kill $UPSTREAM_PID 2>/dev/null; [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT
URL="https://127.0.0.1:$(cat proxy/port)"
C=(curl -sS --cacert certs/ca.crt --max-time 20)

# curl_rc ARGS...: curl's exit status (the test reads failures by their numbers).
curl_rc() { local rc=0; "${C[@]}" "$@" >/dev/null 2>curl.err || rc=$?; echo "$rc"; }

"${C[@]}" -o blob.got "$URL/blob" || die "plain GET through the proxy"
cmp -s blob.got blob.want || die "the proxy changed the body"
[ "$("${C[@]}" --data-binary 'hello 你好' "$URL/echo")" = "hello 你好" ] || die "POST through the proxy"
# A body above curl's Expect: 100-continue threshold.
head -c 3000000 /dev/urandom >big
"${C[@]}" -H 'Expect: 100-continue' --data-binary @big -o big.back "$URL/echo" || die "large POST"
cmp -s big big.back || die "large POST body changed"
ok "pass: GET and POST (also 3 MB with 100-continue) go through unchanged"

python3 "$FAULT_PROXY" set proxy http500
[ "$("${C[@]}" -o /dev/null -w '%{http_code}' "$URL/blob")" = 500 ] || die "http500"
python3 "$FAULT_PROXY" set proxy http503 retry_after=7
hdr=$("${C[@]}" -o /dev/null -D - "$URL/blob")
grep -q "^HTTP/1.1 503" <<<"$hdr" && grep -qi "^Retry-After: 7" <<<"$hdr" || die "http503: $hdr"
n=$(wc -l <posts)
"${C[@]}" -o /dev/null --data x "$URL/echo"
[ "$(wc -l <posts)" -eq "$n" ] || die "a 503 was forwarded to the hub"
ok "http500 and http503 (Retry-After: 7) answer without forwarding"

python3 "$FAULT_PROXY" set proxy truncate
[ "$(curl_rc "$URL/blob")" = 18 ] || die "truncate: curl $(cat curl.err)"
python3 "$FAULT_PROXY" set proxy truncate bytes=1000
"${C[@]}" -o part "$URL/blob" 2>/dev/null || true
[ "$(stat -c %s part)" -eq 1000 ] && cmp -s part <(head -c 1000 blob.want) || die "truncate at 1000"
ok "truncate: Content-Length larger than what is sent, then close (curl exit 18)"

python3 "$FAULT_PROXY" set proxy cut seed=7
sizes=""
for i in 1 2 3 4; do
    "${C[@]}" -o "cut$i" "$URL/blob" 2>/dev/null && die "cut $i was complete"
    cmp -s "cut$i" <(head -c "$(stat -c %s "cut$i")" blob.want) || die "cut $i: wrong bytes"
    sizes+="$(stat -c %s "cut$i") "
done
[ "$(tr ' ' '\n' <<<"$sizes" | sort -u | grep -c .)" -ge 3 ] || die "cut points not random: $sizes"
ok "cut: each body cut at a random point ($sizes)"

python3 "$FAULT_PROXY" set proxy reset bytes=500
[ "$(curl_rc "$URL/blob")" = 56 ] || die "reset: curl $(cat curl.err)"
grep -qi "reset by peer" curl.err || die "reset: $(cat curl.err)"
ok "reset: RST after 500 body bytes (curl: $(head -c 80 curl.err))"

python3 "$FAULT_PROXY" set proxy stall
[ "$(curl_rc --max-time 2 "$URL/blob")" = 28 ] || die "stall: curl $(cat curl.err)"
ok "stall: no answer (curl times out)"

python3 "$FAULT_PROXY" set proxy slow bps=1
got=$(python3 - "$(cat proxy/port)" certs/ca.crt <<'PY'
import socket, ssl, sys, time
ctx = ssl.create_default_context(cafile=sys.argv[2])
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1]))), server_hostname="127.0.0.1")
s.sendall(b"GET /blob HTTP/1.1\r\nHost: x\r\n\r\n")
s.settimeout(0.5)
got = b""
for _ in range(7):  # 3.5 s
    try:
        got += s.recv(100)
    except socket.timeout:
        pass
print(len(got), got[:2].decode())
PY
)
read -r nbytes first <<<"$got"
[ "$first" = "HT" ] && [ "$nbytes" -ge 2 ] && [ "$nbytes" -le 6 ] || die "slow: $got"
ok "slow: the answer comes at 1 byte per second ($nbytes bytes in 3.5 s)"

python3 "$FAULT_PROXY" set proxy http500 path=/blob
[ "$("${C[@]}" --data y "$URL/echo")" = y ] || die "path filter let a fault through"
[ "$("${C[@]}" -o /dev/null -w '%{http_code}' "$URL/blob")" = 500 ] || die "path filter"
ok "path=/prefix limits a fault to matching requests"

python3 "$FAULT_PROXY" set proxy wrongca
[ "$(curl_rc "$URL/blob")" = 60 ] || die "wrongca: $(cat curl.err)"
grep -q "unable to get local issuer" curl.err || die "wrongca: $(cat curl.err)"
python3 "$FAULT_PROXY" set proxy expired
[ "$(curl_rc "$URL/blob")" = 60 ] || die "expired: $(cat curl.err)"
grep -q "expired" curl.err || die "expired: $(cat curl.err)"
python3 "$FAULT_PROXY" set proxy wronghost
[ "$(curl_rc "$URL/blob")" = 60 ] || die "wronghost: $(cat curl.err)"
grep -qi "subject name\|does not match" curl.err || die "wronghost: $(cat curl.err)"
ok "wrongca, expired, wronghost: curl refuses each certificate"

python3 "$FAULT_PROXY" set proxy refuse
[ "$(curl_rc "$URL/blob")" = 7 ] || die "refuse: $(cat curl.err)"
python3 "$FAULT_PROXY" set proxy pass
"${C[@]}" -o blob.got "$URL/blob" && cmp -s blob.got blob.want || die "listening again after refuse"
ok "refuse: connection refused; listening again on the same port afterwards"

[ "$(proxy_count proxy requests http500)" -eq 3 ] || die "http500 requests (1, then 2 with path=): $(proxy_count proxy requests http500)"
[ "$(proxy_count proxy requests cut)" -eq 4 ] || die "cut requests"
[ "$(proxy_count proxy tls_failures wrongca)" -eq 1 ] || die "wrongca tls failures"
[ "$(proxy_count proxy connections expired)" -eq 1 ] || die "expired connections"
[ "$(proxy_count proxy requests refuse)" -eq 0 ] || die "refuse requests"
[ "$(grep -c ' outcome=' proxy/log)" -eq "$(proxy_count proxy total_connections)" ] || die "one log line per connection"
ok "counters per mode; one log line per connection"
echo "fault_proxy_selftest: $CHECKS checks passed"
