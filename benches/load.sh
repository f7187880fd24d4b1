#!/usr/bin/env bash
# Load without loss, with duplicates: for each example (release build) and each way of
# recognising a retried delivery, send signed `OfficialAccount.CallbackAfterSendMsg`
# deliveries with distinct MsgKeys over keep-alive connections, 10% of them twice (to the
# other instance where there are two, as Tencent's retry behind a load balancer), then check
# from the instances' own logs (one INFO line per event with `MsgKey=...`, one per duplicate)
# that every MsgKey was handled exactly once between them, that every answer was 200 with
# the OK envelope, and that each instance's resident memory (VmRSS) at the end is within 20%
# of what it was after the warm-up. Exits non-zero if any check fails.
#
# The modes, each run with fresh instances:
#   redis2  two instances sharing one Redis (REDIS_URL)
#   redis   one instance with that Redis
#   memory  one instance, in-memory store (the examples' default)
#   off     one instance with DEDUPE=off: every request handled, a repeat again
#   baseline one instance of the example built from the commit BASELINE names (in a git
#           worktree, target/load-baseline), handling every request: with `off`, whether
#           the path without dedupe got slower since that commit
#
#   benches/load.sh                                  # both examples, every mode, 3 rounds
#   EXAMPLES=axum MODES="memory off" ROUNDS=5 benches/load.sh
#   BASELINE=8dae7b8 benches/load.sh                 # every mode, and the example of 8dae7b8
#
# Settings (environment): EXAMPLES ("axum actix"), MODES ("redis2 redis memory off", and
# baseline when BASELINE is set), BASELINE (unset),
# ROUNDS (3; the first mode rotates from round to round), REQUESTS (100000 deliveries),
# WARMUP (200000: the allocator and the metrics reach their steady state in about that
# many), REPEAT_PERCENT (10), CONCURRENCY (64), PORT (3911; a second instance
# listens on PORT+1), REDIS_URL (unset: a redis-server is started on a free loopback port and
# stopped at the end). Each request is signed with the current time, so the default 60 s
# freshness window is never an issue. The table at the end gives, for each mode, the median
# requests per second over the rounds, and the median of the ratios taken within a round.
# Not part of CI (.ci/run).
set -euo pipefail

cd "$(dirname "$0")/.."

EXAMPLES=${EXAMPLES:-"axum actix"}
BASELINE=${BASELINE:-}
MODES=${MODES:-"redis2 redis memory off${BASELINE:+ baseline}"}
ROUNDS=${ROUNDS:-3}
REQUESTS=${REQUESTS:-100000}
WARMUP=${WARMUP:-200000}
REPEAT_PERCENT=${REPEAT_PERCENT:-10}
CONCURRENCY=${CONCURRENCY:-64}
PORT=${PORT:-3911}
TOKEN=load-test-token
SDK_APP_ID=1400000000

examples=()
for example in $EXAMPLES; do examples+=(-p "$example-official-channel"); done
cargo build --release --locked -p load-bench "${examples[@]}"

out=$(mktemp -d)
servers=()
redis_pid=
baseline_tree=
stop_servers() {
    for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${servers[@]}"; do wait "$pid" 2>/dev/null || true; done
    servers=()
}
cleanup() {
    stop_servers
    if [ -n "$redis_pid" ]; then kill "$redis_pid" 2>/dev/null || true; fi
    if [ -n "$baseline_tree" ]; then git worktree remove --force "$baseline_tree"; fi
}
trap cleanup EXIT

if [[ " $MODES " == *" baseline "* ]]; then
    [ -n "$BASELINE" ] || { echo "the baseline mode needs BASELINE=<commit>" >&2; exit 2; }
    baseline_tree=$out/baseline
    git worktree add --quiet --detach "$baseline_tree" "$BASELINE"
    (export CARGO_TARGET_DIR=$PWD/target/load-baseline &&
        cd "$baseline_tree" && cargo build --release --locked "${examples[@]}")
fi

if [ -z "${REDIS_URL:-}" ] && [[ " $MODES " == *" redis"* ]]; then
    command -v redis-server >/dev/null ||
        { echo "redis-server is not installed (apt-get install redis-server), or set REDIS_URL" >&2; exit 1; }
    . .ci/redis.sh
    start_redis "$out/redis" || { echo "redis-server did not start" >&2; exit 1; }
fi

# Starts the program `$1` listening on port `$2`, logging to `$3`, with the variables
# that follow (NAME=value ...).
start() {
    local program=$1 port=$2 log=$3
    shift 3
    env BIND_ADDR="127.0.0.1:$port" TENCENT_SDKAPPID=$SDK_APP_ID \
        TENCENT_WEBHOOK_TOKEN=$TOKEN RUST_LOG=info "$@" "$program" >"$log" 2>&1 &
    servers+=($!)
    for _ in $(seq 100); do
        grep -qs "listening" "$log" && return
        sleep 0.1
    done
    echo "$program did not start: $log" >&2
    return 1
}

status=0
read -r -a modes <<<"$MODES"
for example in $EXAMPLES; do
    for round in $(seq "$ROUNDS"); do
        for i in "${!modes[@]}"; do
            mode=${modes[$(((i + round - 1) % ${#modes[@]}))]}
            program=target/release/$example-official-channel
            instances=1 vars=() flags=()
            case $mode in
                redis2) instances=2 vars=(REDIS_URL="$REDIS_URL") ;;
                redis) vars=(REDIS_URL="$REDIS_URL") ;;
                memory) flags=(--memory-store) ;;
                off) vars=(DEDUPE=off) flags=(--no-dedupe) ;;
                baseline)
                    program=target/load-baseline/release/$example-official-channel
                    flags=(--no-dedupe)
                    ;;
                *) echo "unknown mode $mode" >&2; exit 2 ;;
            esac
            run="$example-$mode-$round"
            targets=()
            for n in $(seq 0 $((instances - 1))); do
                log="$out/$run-$n.log"
                start "$program" $((PORT + n)) "$log" "${vars[@]}"
                targets+=(--addr "127.0.0.1:$((PORT + n))" --pid "${servers[-1]}" --log "$log")
            done
            echo "== $example-official-channel, $mode, round $round ($instances instance(s), logs $out/$run-*.log)"
            # MsgKeys of this run's own, so that runs sharing a Redis never collide.
            if target/release/load-bench "${targets[@]}" "${flags[@]}" \
                --sdkappid "$SDK_APP_ID" --token "$TOKEN" --requests "$REQUESTS" \
                --warmup "$WARMUP" --repeat-percent "$REPEAT_PERCENT" \
                --concurrency "$CONCURRENCY" --prefix "$run-$$-$(date +%s)" | tee "$out/$run.txt"
            then
                rm -f "$out/$run"-*.log # kept when the run fails
            else
                status=1
            fi
            stop_servers
            sed -n "s/^RESULT rps=\([0-9]*\).*/$example $mode $round \1/p" "$out/$run.txt" \
                >>"$out/results"
        done
    done
done

# The table: medians over the rounds, and of the ratios within each round.
python3 - "$out/results" "$MODES" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
modes = sys.argv[2].split()
rps = {}
for example, mode, round_, value in rows:
    rps.setdefault(example, {}).setdefault(mode, {})[round_] = int(value)
print("\n| example | " + " | ".join(f"{m} rps" for m in modes) + " | ratios (median within a round) |")
print("|---|" + "--:|" * len(modes) + "---|")
for example, by_mode in rps.items():
    cells = [f"{statistics.median(by_mode[m].values()):.0f}" if m in by_mode else "" for m in modes]
    ratios = []
    for a, b in [("memory", "off"), ("off", "baseline"), ("redis", "memory"), ("redis2", "memory"), ("redis2", "redis")]:
        if a in by_mode and b in by_mode:
            within = [by_mode[a][r] / by_mode[b][r] for r in by_mode[a] if r in by_mode[b]]
            ratios.append(f"{a}/{b} {statistics.median(within):.3f} ({min(within):.3f}–{max(within):.3f})")
    print(f"| {example} | " + " | ".join(cells) + " | " + "; ".join(ratios) + " |")
EOF
echo "results: $out/results"
exit $status
