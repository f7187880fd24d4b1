# Sourced by .ci/run and benches/load.sh: `start_redis DIR` starts a redis-server on a free
# loopback port with its files and log in DIR, and sets `redis_pid` and `REDIS_URL`; it
# returns non-zero (the log on stderr) when no server answers. The caller stops it.
start_redis() {
    local dir=$1 port
    mkdir -p "$dir"
    redis_pid=
    for _ in $(seq 20); do
        port=$((20000 + RANDOM % 40000))
        # A port that refuses a connection is free (or about to be taken: then try another).
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
        redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
            --dir "$dir" --logfile "$dir/redis.log" &
        redis_pid=$!
        for _ in $(seq 50); do
            if [ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ]; then
                REDIS_URL="redis://127.0.0.1:$port"
                echo "redis-server $(redis-server --version | grep -o 'v=[0-9.]*') at $REDIS_URL (pid $redis_pid)"
                return 0
            fi
            kill -0 "$redis_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill "$redis_pid" 2>/dev/null || true
        redis_pid=
    done
    cat "$dir/redis.log" >&2 2>/dev/null
    return 1
}
