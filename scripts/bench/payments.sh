#!/usr/bin/env bash
# Payments benchmark: wrk creating payments against a real gateway (sandbox provider answering at
# once), pgbench running the same SQL at the same concurrency, latency at a fixed 1,000 req/s, and
# settlement throughput for one hot merchant versus many. Loopback only; every phase is bounded.
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
bench_start_gateway "$PORT" COWRIE_BENCH_PORT "$OUT/gateway.log" -Xmx2g

BENCH="java -cp target/cowrie.jar:target/test-classes dev.cowrie.bench.PaymentsBench"
$BENCH setup "$URL" "$ADMIN_TOKEN" "$MERCHANTS" "$OUT/merchants.json"
grep -o '"secret" : "[^"]*"' "$OUT/merchants.json" | sed 's/.*: "\(.*\)"/\1/' > "$OUT/keys.txt"
MERCHANT=$(grep -o '"merchant" : "[^"]*"' "$OUT/merchants.json" | head -1 | sed 's/.*: "\(.*\)"/\1/')
CONN=$(grep -o '"connection" : "[^"]*"' "$OUT/merchants.json" | head -1 | sed 's/.*: "\(.*\)"/\1/')

echo "== wrk: $CONNECTIONS connections, ${SECONDS_RUN}s, $MERCHANTS merchants =="
# Warm up: the JIT needs about 30 s of traffic before the gateway runs at full speed on 2 cores.
COWRIE_BENCH_KEYS="$OUT/keys.txt" wrk -t2 -c"$CONNECTIONS" -d"${COWRIE_BENCH_WARMUP_SECONDS:-30}s" -s scripts/bench/payments.lua "$URL" > /dev/null
WRK_LINE=$(COWRIE_BENCH_KEYS="$OUT/keys.txt" wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency -s scripts/bench/payments.lua "$URL" | grep '^wrk:')
echo "$WRK_LINE"

echo "== pgbench: the same SQL, $CONNECTIONS clients, ${SECONDS_RUN}s =="
psql -h 127.0.0.1 -U postgres -d "$DB" -qc "CREATE SEQUENCE IF NOT EXISTS bench_seq" >/dev/null
PGB=$(pgbench -h 127.0.0.1 -U postgres -n -f scripts/bench/payment_writes.sql -c "$CONNECTIONS" -j 2 -T "$SECONDS_RUN" \
  -D merchant="$MERCHANT" -D conn="$CONN" "$DB" 2>&1)
PGB_TPS=$(echo "$PGB" | grep -E '^tps' | head -1 | sed -E 's/tps = ([0-9.]+).*/\1/')
PGB_LAT=$(echo "$PGB" | grep -E '^latency average' | sed -E 's/latency average = //')
echo "pgbench: $PGB_TPS tps (payment-creations of SQL per second), latency average $PGB_LAT"
WRK_RPS=$(echo "$WRK_LINE" | sed -E 's/.*= ([0-9]+) req\/s.*/\1/')
echo "ratio: gateway $WRK_RPS req/s / pgbench $PGB_TPS tps = $(awk -v a="$WRK_RPS" -v b="$PGB_TPS" 'BEGIN { printf "%.2f", a / b }')"

echo "== fixed rate: 1000 req/s for 10 s (the goal), then 60% of the wrk maximum =="
$BENCH rate "$URL" "$OUT/merchants.json" 1000 10
SUSTAINABLE=$(awk -v a="$WRK_RPS" 'BEGIN { printf "%d", a * 0.6 }')
$BENCH rate "$URL" "$OUT/merchants.json" "$SUSTAINABLE" 10

echo "== settlement: signed callbacks in parallel =="
$BENCH settle "$URL" "$OUT/merchants.json" "$SETTLE_PAYMENTS" 64 spread
$BENCH settle "$URL" "$OUT/merchants.json" "$SETTLE_PAYMENTS" 64 hot

echo "== ledger check after the run =="
COWRIE_PG_URL="postgresql://postgres@127.0.0.1:5432/$DB" java -jar target/cowrie.jar admin ledger check | tail -1
