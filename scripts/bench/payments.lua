-- wrk script: creates payments with a unique Idempotency-Key each, round-robin over the bench
-- merchants' secret keys (one per line in the file named by $COWRIE_BENCH_KEYS).
local keys = {}
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  thread_id = id
  for line in io.lines(os.getenv("COWRIE_BENCH_KEYS")) do
    if #line > 0 then table.insert(keys, line) end
  end
  math.randomseed(os.time() + thread_id)
  -- COWRIE_BENCH_RUN tells apart several wrk processes started in the same second (same seed).
  run = (os.getenv("COWRIE_BENCH_RUN") or "") .. tostring(os.time()) .. "-" .. tostring(math.random(1, 1000000))
end

function request()
  counter = counter + 1
  local key = keys[(counter % #keys) + 1]
  local idem = "wrk-" .. run .. "-" .. thread_id .. "-" .. counter
  local body = '{"amount":150000,"currency":"NGN","reference":"' .. idem .. '"}'
  return wrk.format("POST", "/v1/payments", {
    ["Authorization"] = "Bearer " .. key,
    ["Idempotency-Key"] = idem,
    ["Content-Type"] = "application/json"
  }, body)
end

local statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  io.write(string.format("wrk: %d requests in %.1f s = %.0f req/s, p50 %.1f ms, p99 %.1f ms, non-2xx %d, socket errors %d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
