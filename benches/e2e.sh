#!/usr/bin/env bash
# End-to-end load benchmark: for each framework, `POST /webhook` (what the example services
# do, written with the adapter's extractor) with a signed after-send request, beside a
# do-nothing route (`/noop`), a bare typed decode with no checks (`/typed`:
# serde_json::from_slice into AfterSendMsg, the floor for any typed receiver) and a
# hand-written handler (`/manual`), all served by the same binary (benches/e2e), measured
# with wrk over loopback with keep-alive. Routes run back to back in rounds, many short
# rounds per concurrency level; the table gives the median of each figure over the rounds,
# and for each ratio the median of the ratios taken within a round, so that a slow phase of
# a shared machine weighs on both sides of a ratio alike.
#
# The server is pinned to one core and wrk to the other (taskset), so that they do not
# steal each other's CPU on a 2-core machine. Every answer must be 2xx; the run fails
# otherwise.
#
#   benches/e2e.sh                      # full run: axum and actix, c = 1 16 64, 15 rounds of 2 s
#   LOG=info benches/e2e.sh             # the same with /webhook's per-event INFO log on
#                                       # (written to /dev/null)
#   FRAMEWORKS=axum CONNS=64 ROUNDS=3 DURATION=3 benches/e2e.sh   # a quick look
#
# Settings (environment): FRAMEWORKS, CONNS, ROUNDS, DURATION (seconds per wrk run),
# LOG (the server's tracing filter, default warn), WORKERS (server threads, default 1),
# SERVER_CPU / WRK_CPU (cores for taskset, default 0 / 1), WRK_THREADS (default 1),
# ADDR (default 127.0.0.1:3901).
set -euo pipefail

cd "$(dirname "$0")/.."

FRAMEWORKS=${FRAMEWORKS:-"axum actix"}
CONNS=${CONNS:-"1 16 64"}
ROUNDS=${ROUNDS:-15}
DURATION=${DURATION:-2}
LOG=${LOG:-warn}
WORKERS=${WORKERS:-1}
SERVER_CPU=${SERVER_CPU:-0}
WRK_CPU=${WRK_CPU:-1}
WRK_THREADS=${WRK_THREADS:-1}
ADDR=${ADDR:-127.0.0.1:3901}
ROUTES=(noop typed webhook manual)

# Must match benches/e2e/src/main.rs.
SDK_APP_ID=1400000000
TOKEN=e2e-bench-token
BODY=crates/tencent-chat-webhook/tests/fixtures/official_channel/after_send_msg.json
LUA=benches/post.lua

if ! command -v wrk >/dev/null; then
    echo "wrk not found; installing it from the system packages" >&2
    if [ "$(id -u)" -eq 0 ]; then
        apt-get update -qq && apt-get install -y -qq wrk
    else
        sudo apt-get update -qq && sudo apt-get install -y -qq wrk
    fi
fi
command -v taskset >/dev/null || { echo "taskset (util-linux) is required" >&2; exit 1; }

cargo build --release --quiet -p e2e-bench
BIN=${CARGO_TARGET_DIR:-target}/release/e2e-bench
OUT=${CARGO_TARGET_DIR:-target}/e2e
mkdir -p "$OUT"
RESULTS=$OUT/results.txt
: >"$RESULTS"

# The signed URL of a route, with RequestTime = now (the server accepts 60 s either way,
# so every wrk run signs afresh).
signed_url() {
    local now sign
    now=$(date +%s)
    sign=$(printf '%s%s' "$TOKEN" "$now" | sha256sum | cut -d' ' -f1)
    printf 'http://%s/%s?SdkAppid=%s&CallbackCommand=OfficialAccount.CallbackAfterSendMsg&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI&Sign=%s&RequestTime=%s' \
        "$ADDR" "$1" "$SDK_APP_ID" "$sign" "$now"
}

SERVER_PID=
stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=
    fi
}
trap stop_server EXIT

start_server() {
    local log=$OUT/server-$1.log
    [ "$LOG" = warn ] || log=/dev/null
    taskset -c "$SERVER_CPU" "$BIN" --framework "$1" --addr "$ADDR" --workers "$WORKERS" \
        --log "$LOG" >"$log" 2>"$OUT/server-$1.err" &
    SERVER_PID=$!
    for _ in $(seq 100); do
        if (exec 3<>"/dev/tcp/${ADDR%:*}/${ADDR##*:}") 2>/dev/null; then return; fi
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUT/server-$1.err" >&2; exit 1; }
        sleep 0.1
    done
    echo "the $1 server did not start listening on $ADDR" >&2
    exit 1
}

# One wrk run; prints "rps p99_us" after checking that every answer was 2xx.
run_wrk() {
    local route=$1 conns=$2 duration=$3 threads out line
    threads=$((WRK_THREADS < conns ? WRK_THREADS : conns))
    out=$(taskset -c "$WRK_CPU" wrk -t "$threads" -c "$conns" -d "${duration}s" --latency \
        -s "$LUA" "$(signed_url "$route")" -- "$BODY")
    line=$(grep '^E2E ' <<<"$out") || { echo "$out" >&2; echo "no result from wrk" >&2; exit 1; }
    if ! grep -q ' non2xx=0 socket_errors=0$' <<<"$line"; then
        echo "$out" >&2
        echo "FAILED: /$route answered non-2xx or had socket errors: $line" >&2
        exit 1
    fi
    sed -E 's/.* rps=([0-9.]+) .* p99_us=([0-9]+) .*/\1 \2/' <<<"$line"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "server on core $SERVER_CPU ($WORKERS worker), wrk on core $WRK_CPU ($WRK_THREADS thread); log=$LOG"
echo "$ROUNDS rounds x ${DURATION}s per route, concurrency: $CONNS"

for fw in $FRAMEWORKS; do
    start_server "$fw"
    for route in "${ROUTES[@]}"; do run_wrk "$route" 16 1 >/dev/null; done # warm-up
    for conns in $CONNS; do
        for round in $(seq "$ROUNDS"); do
            # Alternate the routes, and rotate which goes first from round to round.
            for i in "${!ROUTES[@]}"; do
                route=${ROUTES[$(((i + round) % ${#ROUTES[@]}))]}
                read -r rps p99 < <(run_wrk "$route" "$conns" "$DURATION")
                echo "$fw $conns $route $round $rps $p99" | tee -a "$RESULTS" >&2
            done
        done
    done
    stop_server
done

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
awk -v frameworks="$FRAMEWORKS" -v conns="$CONNS" -v rounds="$ROUNDS" '
    # Input lines: framework conns route round rps p99_us.
    { rps[$1, $2, $3, $4] = $5; p99[$1, $2, $3, $4] = $6 }
    function median(v, n,   i, j, t) {
        for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
            t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
        }
        return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    # The median over rounds of one route'"'"'s figure.
    function med(m, k, route,   v, n, r) {
        n = 0
        for (r = 1; r <= rounds; r++) if ((k SUBSEP route SUBSEP r) in rps)
            v[++n] = (m == "rps" ? rps[k, route, r] : p99[k, route, r])
        return median(v, n)
    }
    # The median over rounds of the ratio a/b, each taken within its round.
    function ratio(m, k, a, b,   v, n, r) {
        n = 0
        for (r = 1; r <= rounds; r++) if ((k SUBSEP a SUBSEP r) in rps && (k SUBSEP b SUBSEP r) in rps)
            v[++n] = (m == "rps" ? rps[k, a, r] / rps[k, b, r] : p99[k, a, r] / p99[k, b, r])
        return median(v, n)
    }
    END {
        printf "| framework | conns | noop rps | typed rps | webhook rps | manual rps | typed/noop | webhook/noop | webhook/typed | webhook/manual | noop p99 | typed p99 | webhook p99 | manual p99 | webhook/noop p99 | webhook/typed p99 |\n"
        printf "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n"
        nf = split(frameworks, fws, " "); nc = split(conns, cs, " ")
        for (f = 1; f <= nf; f++) for (c = 1; c <= nc; c++) {
            k = fws[f] SUBSEP cs[c]
            printf "| %s | %s | %.0f | %.0f | %.0f | %.0f | %.3f | %.3f | %.3f | %.3f | %d µs | %d µs | %d µs | %d µs | %.3f | %.3f |\n",
                fws[f], cs[c], med("rps", k, "noop"), med("rps", k, "typed"), med("rps", k, "webhook"),
                med("rps", k, "manual"), ratio("rps", k, "typed", "noop"), ratio("rps", k, "webhook", "noop"),
                ratio("rps", k, "webhook", "typed"), ratio("rps", k, "webhook", "manual"),
                med("p99", k, "noop"), med("p99", k, "typed"), med("p99", k, "webhook"), med("p99", k, "manual"),
                ratio("p99", k, "webhook", "noop"), ratio("p99", k, "webhook", "typed")
        }
    }' "$RESULTS"
