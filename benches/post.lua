-- wrk script for benches/e2e.sh: POSTs one JSON body (the file named after `--`) on
-- every request and prints one parseable result line when the run is done.

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function init(args)
   local path = args[1] or error("usage: wrk -s post.lua URL -- BODY_FILE")
   local file = assert(io.open(path, "rb"))
   wrk.body = file:read("*a")
   file:close()
end

function done(summary, latency, requests)
   local errors = summary.errors
   io.write(string.format(
      "E2E rps=%.1f p50_us=%d p99_us=%d requests=%d non2xx=%d socket_errors=%d\n",
      summary.requests / (summary.duration / 1e6),
      latency:percentile(50), latency:percentile(99), summary.requests, errors.status,
      errors.connect + errors.read + errors.write + errors.timeout))
end
