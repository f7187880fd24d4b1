#!/usr/bin/env bash
# Load without loss: for each example (release build), send signed
# `OfficialAccount.CallbackAfterSendMsg` requests with distinct MsgKeys over keep-alive
# connections, then check from the example's own log (stdout, one INFO line per event
# with `MsgKey=...`) that every MsgKey was handled exactly once, that every answer was
# 200 with the OK envelope, and that resident memory (VmRSS) at the end is within 20% of
# what it was after the warm-up. Exits non-zero if any check fails.
#
#   benches/load.sh                                  # both examples, 100,000 requests at 64
#   EXAMPLES=axum REQUESTS=200000 CONCURRENCY=128 benches/load.sh
#
# Settings (environment): EXAMPLES ("axum actix"), REQUESTS (100000), WARMUP (20000),
# CONCURRENCY (64), ADDR (127.0.0.1:3911). Each request is signed with the current time,
# so the default 60 s freshness window is never an issue. Not part of CI (.ci/run).
set -euo pipefail

cd "$(dirname "$0")/.."

EXAMPLES=${EXAMPLES:-"axum actix"}
REQUESTS=${REQUESTS:-100000}
WARMUP=${WARMUP:-20000}
CONCURRENCY=${CONCURRENCY:-64}
ADDR=${ADDR:-127.0.0.1:3911}
TOKEN=load-test-token
SDK_APP_ID=1400000000

packages=(-p load-bench)
for example in $EXAMPLES; do packages+=(-p "$example-official-channel"); done
cargo build --release --locked "${packages[@]}"

out=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; true' EXIT

status=0
for example in $EXAMPLES; do
    log="$out/$example.log"
    BIND_ADDR=$ADDR TENCENT_SDKAPPID=$SDK_APP_ID TENCENT_WEBHOOK_TOKEN=$TOKEN RUST_LOG=info \
        "target/release/$example-official-channel" >"$log" 2>&1 &
    server=$!
    for _ in $(seq 100); do
        grep -q "listening" "$log" && break
        sleep 0.1
    done

    echo "== $example-official-channel (pid $server, log $log)"
    if ! target/release/load-bench --addr "$ADDR" --sdkappid "$SDK_APP_ID" --token "$TOKEN" \
        --requests "$REQUESTS" --warmup "$WARMUP" --concurrency "$CONCURRENCY" \
        --pid "$server" --log "$log" --prefix "$example"; then
        status=1
    fi
    kill "$server"
    wait "$server" 2>/dev/null || true
    server=
done
exit $status
