#!/usr/bin/env bash
# Crash under load: starts a gateway, drives payment creations from parallel clients, kill -9s the
# gateway mid-load, restarts it on the same database, then counts the payments acknowledged (201)
# against the rows found, and runs `admin ledger check`. Loopback only; bounded in time.
set -euo pipefail
cd "$(dirname "$0")/../.."

PORT="${COWRIE_CRASH_PORT:-18191}"
DB="${COWRIE_CRASH_DB:-cowrie_crash}"
CLIENTS="${COWRIE_CRASH_CLIENTS:-8}"
LOAD_SECONDS="${COWRIE_CRASH_LOAD_SECONDS:-6}" # the kill comes this long after the load starts
OUT=target/bench/crash
. scripts/bench/gateway.sh
bench_require_free_port "$PORT" COWRIE_CRASH_PORT
[ -f target/cowrie.jar ] && [ -d target/test-classes/dev/cowrie/bench ] || mvn -B -q -DskipTests package
rm -rf "$OUT" && mkdir -p "$OUT"
URL="http://127.0.0.1:$PORT"

psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" >/dev/null
export COWRIE_PG_URL="postgresql://postgres@127.0.0.1:5432/$DB" COWRIE_HTTP_PORT="$PORT" COWRIE_PUBLIC_URL="$URL" \
  COWRIE_ADMIN_TOKEN="crash_admin_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
  COWRIE_MASTER_KEY="$(head -c 32 /dev/urandom | base64)" COWRIE_REDIS_KEY_PREFIX="crash:$$:" \
  COWRIE_RATE_LIMIT_PER_KEY_PER_SECOND=1000000 COWRIE_RATE_LIMIT_PER_KEY_BURST=1000000 \
  COWRIE_SANDBOX_LATENCY_MS=0 COWRIE_SANDBOX_FAILURE_RATE=0.0 COWRIE_SANDBOX_CALLBACK_DELAY_MS=600000
GATEWAY=
CLIENT_PIDS=()
cleanup() {
  for pid in "${CLIENT_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -z "$GATEWAY" ] || { kill "$GATEWAY" 2>/dev/null; wait "$GATEWAY" 2>/dev/null; } || true
  redis-cli --scan --pattern "crash:$$:*" | xargs -r -n 500 redis-cli del > /dev/null || true
}
trap cleanup EXIT
bench_start_gateway "$PORT" COWRIE_CRASH_PORT "$OUT/gateway-1.log" -Xmx384m
java -cp target/cowrie.jar:target/test-classes dev.cowrie.bench.PaymentsBench setup "$URL" "$COWRIE_ADMIN_TOKEN" 1 "$OUT/merchants.json" > /dev/null
SECRET=$(grep -o '"secret" : "[^"]*"' "$OUT/merchants.json" | head -1 | sed 's/.*: "\(.*\)"/\1/')

# One client: creates payments one after another until the deadline; each 201's payment id is
# written to its file only after the answer arrived (what the merchant was told).
client() {
  local n=0 deadline=$(( $(date +%s) + LOAD_SECONDS + 4 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    n=$((n + 1))
    local answer
    answer=$(curl -s -m 5 -w '\n%{http_code}' -X POST "$URL/v1/payments" -H "Authorization: Bearer $SECRET" \
      -H "Idempotency-Key: crash-$1-$n" -H 'Content-Type: application/json' \
      -d '{"amount":150000,"currency":"NGN","provider":"sandbox"}' || true)
    if [ "$(echo "$answer" | tail -1)" = "201" ]; then
      echo "$answer" | head -1 | grep -o '"id":"pay_[^"]*"' | head -1 | cut -d'"' -f4 >> "$OUT/acked.$1"
    else
      echo "crash-$1-$n" >> "$OUT/unanswered.$1"
    fi
  done
}
for c in $(seq 1 "$CLIENTS"); do client "$c" & CLIENT_PIDS+=($!); done
sleep "$LOAD_SECONDS"
kill -9 "$GATEWAY"; wait "$GATEWAY" 2>/dev/null || true; GATEWAY=
echo "== kill -9 after ${LOAD_SECONDS}s of load from $CLIENTS clients =="
for pid in "${CLIENT_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
CLIENT_PIDS=()

bench_start_gateway "$PORT" COWRIE_CRASH_PORT "$OUT/gateway-2.log" -Xmx384m
cat "$OUT"/acked.* 2>/dev/null | sort -u > "$OUT/acked.txt"
ACKED=$(wc -l < "$OUT/acked.txt")
psql -h 127.0.0.1 -U postgres -d "$DB" -qAt -c "SELECT id FROM payments" | sort -u > "$OUT/rows.txt"
FOUND=$(comm -12 "$OUT/acked.txt" "$OUT/rows.txt" | wc -l)
echo "acknowledged (201): $ACKED; of those found after the restart: $FOUND; missing: $((ACKED - FOUND))"
echo "payment rows: $(wc -l < "$OUT/rows.txt") (rows beyond the acknowledged ones were in flight at the kill)"
psql -h 127.0.0.1 -U postgres -d "$DB" -qAt -F ' ' -c "
  SELECT 'unrouted (left for the retry or the reconciler):', count(*) FROM payments WHERE connection_id IS NULL AND status = 'requires_action';
  SELECT 'payments without their payment.created event:', count(*) FROM payments p
    WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.type = 'payment.created' AND e.data->'object'->>'id' = p.id);
  SELECT 'payments without their audit row:', count(*) FROM payments p WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.target = p.id);
  SELECT 'keys still in flight:', count(*) FROM idempotency_keys WHERE state = 'in_flight';"
echo "== ledger check =="
java -jar target/cowrie.jar admin ledger check | tail -1
[ "$FOUND" -eq "$ACKED" ] && echo "every acknowledged payment is present" || { echo "ACKNOWLEDGED PAYMENTS MISSING"; exit 1; }
