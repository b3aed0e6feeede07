#!/usr/bin/env bash
# Payments benchmark: wrk creating payments against a real gateway (sandbox provider answering at
# once) beside pgbench running the fewest commits a creation needs (payment_min.sql) and the former
# six (payment_writes.sql) at the same concurrency; latency at a fixed 60 % of the maximum beside
# pgbench -R at the same rate; peak RSS; settlement for one hot merchant versus many. Loopback only;
# every phase is bounded.
set -euo pipefail
cd "$(dirname "$0")/../.."

PORT="${COWRIE_BENCH_PORT:-18181}"
DB="${COWRIE_BENCH_DB:-cowrie_bench}"
SECONDS_RUN="${COWRIE_BENCH_SECONDS:-15}"
CONNECTIONS="${COWRIE_BENCH_CONNECTIONS:-32}"
MERCHANTS="${COWRIE_BENCH_MERCHANTS:-20}"
SETTLE_PAYMENTS="${COWRIE_BENCH_SETTLE_PAYMENTS:-3000}"
OUT=target/bench
. scripts/bench/gateway.sh
bench_require_free_port "$PORT" COWRIE_BENCH_PORT # before touching its database
mkdir -p "$OUT"
URL="http://127.0.0.1:$PORT"

command -v wrk >/dev/null || { echo "installing wrk (Debian package)"; apt-get install -y -qq wrk >/dev/null; }
command -v pgbench >/dev/null || { echo "pgbench is missing (Debian: postgresql-client)"; exit 1; }
# The bench drivers live in src/bench/java (test classes), outside the production jar.
[ -f target/cowrie.jar ] && [ -d target/test-classes/dev/cowrie/bench ] || mvn -B -q -DskipTests package

psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" >/dev/null

ADMIN_TOKEN="bench_admin_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export COWRIE_PG_URL="postgresql://postgres@127.0.0.1:5432/$DB" COWRIE_HTTP_PORT="$PORT" COWRIE_PUBLIC_URL="$URL" \
  COWRIE_ADMIN_TOKEN="$ADMIN_TOKEN" COWRIE_MASTER_KEY="$(head -c 32 /dev/urandom | base64)" \
  COWRIE_REDIS_KEY_PREFIX="bench:$$:" COWRIE_RATE_LIMIT_PER_KEY_PER_SECOND=1000000 COWRIE_RATE_LIMIT_PER_KEY_BURST=1000000 \
  COWRIE_PG_POOL_SIZE=32 COWRIE_SANDBOX_LATENCY_MS=0 COWRIE_SANDBOX_FAILURE_RATE=0.0 COWRIE_SANDBOX_CALLBACK_DELAY_MS=600000
GATEWAY=
trap '[ -z "$GATEWAY" ] || { kill $GATEWAY 2>/dev/null; wait $GATEWAY 2>/dev/null; } || true' EXIT
STARTED_MS=$(date +%s%3N)
bench_start_gateway "$PORT" COWRIE_BENCH_PORT "$OUT/gateway.log" -Xmx${COWRIE_BENCH_HEAP:-384m} ${COWRIE_BENCH_JVM:-}
echo "== start to ready: $(( $(date +%s%3N) - STARTED_MS )) ms (polled every 50 ms; $GATEWAY_CLASS_ARCHIVE) =="

# The driver shares the two cores with the gateway: with the JVM's full JIT its own C2 compiler threads
# took the cores for 10-20 s after it started and a fixed-rate run read p99 940 ms where the same
# gateway, right before, read 52 ms under a driver compiled by C1 only (-XX:TieredStopAtLevel=1).
BENCH="java -XX:TieredStopAtLevel=1 -cp target/cowrie.jar:target/test-classes dev.cowrie.bench.PaymentsBench"
$BENCH setup "$URL" "$ADMIN_TOKEN" "$MERCHANTS" "$OUT/merchants.json"
grep -o '"secret" : "[^"]*"' "$OUT/merchants.json" | sed 's/.*: "\(.*\)"/\1/' > "$OUT/keys.txt"
MERCHANT=$(grep -o '"merchant" : "[^"]*"' "$OUT/merchants.json" | head -1 | sed 's/.*: "\(.*\)"/\1/')
CONN=$(grep -o '"connection" : "[^"]*"' "$OUT/merchants.json" | head -1 | sed 's/.*: "\(.*\)"/\1/')

# Before every measured phase: let the relay finish the outbox rows written so far, analyze, then
# checkpoint, so each phase (the gateway's, each yardstick's, each fixed rate's) starts in the same
# state. ANALYZE: autovacuum is off on this machine's PostgreSQL, so nothing else ever gathers the
# statistics; plans cached while the tables were empty then looked a payment up by its id through
# the customer-email index (auto_explain: 203 buffers, 11 ms, against 3 through the primary key),
# and PostgreSQL's CPU per payment grew with the table. A checkpoint makes the next write of each
# page log the whole page; one started by WAL volume once landed inside the gateway's window.
settle_database() {
  for _ in $(seq 1 240); do
    [ "$(psql -h 127.0.0.1 -U postgres -d "$DB" -Atc "SELECT count(*) FROM (SELECT 1 FROM events WHERE relayed_at IS NULL LIMIT 1) owed")" = 0 ] && break
    sleep 0.5
  done
  psql -h 127.0.0.1 -U postgres -d "$DB" -qc "ANALYZE" -qc "CHECKPOINT" >/dev/null
}

echo "== wrk: $CONNECTIONS connections, ${SECONDS_RUN}s, $MERCHANTS merchants =="
# Warm up until the gateway's JIT has settled (gateway.sh), or for COWRIE_BENCH_WARMUP_SECONDS when set.
if [ -n "${COWRIE_BENCH_WARMUP_SECONDS:-}" ]; then
  COWRIE_BENCH_KEYS="$OUT/keys.txt" wrk -t2 -c"$CONNECTIONS" -d"${COWRIE_BENCH_WARMUP_SECONDS}s" -s scripts/bench/payments.lua "$URL" > /dev/null
else
  COWRIE_BENCH_KEYS="$OUT/keys.txt" warm_up_until_compiled "$GATEWAY" \
    wrk -t2 -c"$CONNECTIONS" -d15s -s scripts/bench/payments.lua "$URL"
fi
settle_database
MARK_BEFORE=$(cpu_mark "$GATEWAY" "$DB")
WRK_LINE=$(COWRIE_BENCH_KEYS="$OUT/keys.txt" wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency -s scripts/bench/payments.lua "$URL" | grep '^wrk:')
MARK_AFTER=$(cpu_mark "$GATEWAY" "$DB")
echo "$WRK_LINE"
cpu_per_op "$MARK_BEFORE" "$MARK_AFTER" "$(echo "$WRK_LINE" | sed -E 's/^wrk: ([0-9]+) requests.*/\1/')" payment

psql -h 127.0.0.1 -U postgres -d "$DB" -qc "CREATE SEQUENCE IF NOT EXISTS bench_seq" >/dev/null
# pgbench_tps FILE [options...]: transactions (here: payment creations) per second of one pgbench run.
pgbench_tps() {
  local file=$1; shift
  pgbench -h 127.0.0.1 -U postgres -n -f "$file" -j 2 -D merchant="$MERCHANT" -D conn="$CONN" "$@" "$DB" 2>&1 \
    | awk '/^tps/ {print $3; exit}'
}
echo "== pgbench: $CONNECTIONS clients, ${SECONDS_RUN}s each =="
settle_database
MIN_TPS=$(pgbench_tps scripts/bench/payment_min.sql -c "$CONNECTIONS" -T "$SECONDS_RUN")
settle_database
OLD_TPS=$(pgbench_tps scripts/bench/payment_writes.sql -c "$CONNECTIONS" -T "$SECONDS_RUN")
WRK_RPS=$(echo "$WRK_LINE" | sed -E 's/.*= ([0-9]+) req\/s.*/\1/')
echo "yardstick payment_min.sql (2 transactions + the sandbox's row): $MIN_TPS creations/s"
echo "reference payment_writes.sql (the former 6 commits): $OLD_TPS creations/s"
echo "ratio: gateway $WRK_RPS req/s / yardstick $MIN_TPS = $(awk -v a="$WRK_RPS" -v b="$MIN_TPS" 'BEGIN { printf "%.2f", a / b }') (goal >= 0.6)"

settle_database
RATE=$(awk -v a="$WRK_RPS" 'BEGIN { printf "%d", a * 0.6 }')
echo "== fixed rate: $RATE req/s (60% of the gateway's maximum) for 10 s, latency from each scheduled start =="
# The driver is a fresh JVM: its first second (cold code, new connections) stalled every answer by
# about a second, and the same driver with warm code and fresh connections did not, so the first 5 s
# at the rate are not counted (pgbench is C and connects before its clock starts). The slowest answer
# of each quarter second is printed, so a stall inside the window shows where it sits.
RATE_LINES=$($BENCH rate "$URL" "$OUT/merchants.json" "$RATE" 10 5)
echo "$RATE_LINES"
# pgbench at the same rate: a transaction's latency from its scheduled start is its time plus its schedule lag.
settle_database
rm -f "$OUT"/pgbench_log.*
(cd "$OUT" && pgbench -h 127.0.0.1 -U postgres -n -f ../../scripts/bench/payment_min.sql -c "$CONNECTIONS" -j 2 -R "$RATE" -T 10 \
  -D merchant="$MERCHANT" -D conn="$CONN" --log --log-prefix=pgbench_log "$DB" > /dev/null 2>&1)
PGBENCH_RATE_LINE=$(cat "$OUT"/pgbench_log.* | awk '{ print ($3 + $7) / 1000 }' | sort -n | awk -v rate="$RATE" '
  { v[NR] = $1 } END { printf "pgbench -R %d: %d transactions, p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    rate, NR, v[int(NR * 0.5)], v[int(NR * 0.99)], v[NR] }')
echo "$PGBENCH_RATE_LINE"
p99_of() { sed -nE 's/.*p99 ([0-9.]+) ms.*/\1/p' | head -1; }
echo "tail ratio: gateway p99 / pgbench p99 = $(awk -v a="$(echo "$RATE_LINES" | p99_of)" -v b="$(echo "$PGBENCH_RATE_LINE" | p99_of)" \
  'BEGIN { printf "%.2f", a / b }') (goal <= 2)"

echo "== gateway memory: peak RSS $(awk '/VmHWM/ { printf "%d MiB", $2 / 1024 }' /proc/$GATEWAY/status), now $(awk '/VmRSS/ { printf "%d MiB", $2 / 1024 }' /proc/$GATEWAY/status) =="

echo "== settlement: signed callbacks in parallel =="
$BENCH settle "$URL" "$OUT/merchants.json" "$SETTLE_PAYMENTS" 64 spread
$BENCH settle "$URL" "$OUT/merchants.json" "$SETTLE_PAYMENTS" 64 hot

echo "== ledger check after the run =="
COWRIE_PG_URL="postgresql://postgres@127.0.0.1:5432/$DB" java -jar target/cowrie.jar admin ledger check | tail -1
