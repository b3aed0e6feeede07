#!/usr/bin/env bash
# Events benchmark: a real gateway (in the driver's JVM, so features' bus nudges are real) with a
# real Kafka broker and a loopback webhook receiver. Prints raw insert rows/s of the same rows for
# comparison, relay events/s to Kafka and to webhooks, and commit->WebSocket latency p50/p99 with
# 1,000 connected clients. Loopback only; bounded by `timeout` and per-phase deadlines.
#   scripts/bench/events.sh [EVENTS=20000] [SOCKETS=1000] [MERCHANTS=10]
set -euo pipefail
cd "$(dirname "$0")/../.."

EVENTS="${1:-20000}"
SOCKETS="${2:-1000}"
MERCHANTS="${3:-10}"
PORT="${COWRIE_BENCH_PORT:-18281}"
KAFKA_PORT="${COWRIE_BENCH_KAFKA_PORT:-19392}"
DB="${COWRIE_BENCH_DB:-cowrie_bench_events}"
OUT=target/bench
mkdir -p "$OUT"

# The bench drivers live in src/bench/java (test classes), outside the production jar.
if [ ! -f target/cowrie.jar ] || [ ! -d target/test-classes/dev/cowrie/bench ] \
    || [ -n "$(find src pom.xml -newer target/cowrie.jar -print -quit)" ]; then
  mvn -B -q -DskipTests package
fi

. scripts/bench/gateway.sh
bench_require_free_port "$PORT" COWRIE_BENCH_PORT # the driver's JVM runs the gateway on it

scripts/kafka.sh start --port "$KAFKA_PORT" --dir "$OUT/kafka" --clean --owner-pid $$ > "$OUT/kafka-start.log" 2>&1
trap 'scripts/kafka.sh stop --port "$KAFKA_PORT" >/dev/null 2>&1 || true' EXIT

psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" >/dev/null

export COWRIE_PG_URL="postgresql://postgres@127.0.0.1:5432/$DB" COWRIE_HTTP_PORT="$PORT" \
  COWRIE_PUBLIC_URL="http://127.0.0.1:$PORT" COWRIE_PG_POOL_SIZE=16 \
  COWRIE_ADMIN_TOKEN="bench_admin_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
  COWRIE_MASTER_KEY="$(head -c 32 /dev/urandom | base64)" COWRIE_REDIS_KEY_PREFIX="bench:events:$$:" \
  COWRIE_RATE_LIMIT_PER_KEY_PER_SECOND=1000000 COWRIE_RATE_LIMIT_PER_KEY_BURST=1000000 \
  COWRIE_WEBHOOK_ALLOW_PRIVATE=true COWRIE_KAFKA_BOOTSTRAP="127.0.0.1:$KAFKA_PORT" \
  COWRIE_KAFKA_TOPIC="cowrie.events.bench.$$"

echo "== events bench: $EVENTS events, $SOCKETS WebSocket clients, $MERCHANTS merchants ($(nproc) cores) =="
timeout 600 java -Xmx2g -cp target/cowrie.jar:target/test-classes dev.cowrie.bench.EventsBench "$EVENTS" "$SOCKETS" "$MERCHANTS" \
  2> "$OUT/events-gateway.log" | tee "$OUT/events.txt"
