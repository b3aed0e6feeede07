#!/usr/bin/env bash
# Benchmark of the people-to-people half, on loopback, bounded in count and time:
#   transfers/s between 1,000 random wallets and into one hot wallet (over HTTP, through the ledger),
#   chat messages/s fanned out to 100 connected WebSocket clients,
#   and, in the same run, pgbench executing the SQL a transfer runs, at the same concurrency.
# Uses its own database (cowrie_bench, dropped first) and its own Redis key prefix (deleted after).
# Phases of 15,000 transfers and 25 s of pgbench: shorter ones varied by a fifth from run to run.
# Knobs: BENCH_WALLETS (1000) BENCH_TRANSFERS (15000) BENCH_CONCURRENCY (32) BENCH_CHAT_CLIENTS (100)
#        BENCH_CHAT_MESSAGES (500) BENCH_PGBENCH_SECONDS (25) BENCH_PORT (18080).
set -euo pipefail
cd "$(dirname "$0")/../.."

PORT=${BENCH_PORT:-18080}
CONCURRENCY=${BENCH_CONCURRENCY:-32}
PGBENCH_SECONDS=${BENCH_PGBENCH_SECONDS:-25}
DB=cowrie_bench
. scripts/bench/gateway.sh
bench_require_free_port "$PORT" BENCH_PORT # before touching its database
PSQL="psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -q"
mkdir -p .cowrie

[ -f target/cowrie.jar ] || mvn -B -q package -DskipTests

$PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"

export COWRIE_PG_URL="postgresql://postgres@127.0.0.1:5432/$DB"
export COWRIE_HTTP_HOST=127.0.0.1 COWRIE_HTTP_PORT=$PORT COWRIE_PUBLIC_URL="http://127.0.0.1:$PORT"
export COWRIE_ADMIN_TOKEN="adm_bench_$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
export COWRIE_MASTER_KEY="$(head -c 32 /dev/urandom | base64)"
export COWRIE_REDIS_KEY_PREFIX="bench:$$:"
export COWRIE_AUTH_BCRYPT_COST=4 COWRIE_PG_POOL_SIZE=${BENCH_PG_POOL_SIZE:-32}
export COWRIE_RATE_LIMIT_PER_KEY_PER_SECOND=1000000 COWRIE_RATE_LIMIT_PER_KEY_BURST=1000000
export COWRIE_RATE_LIMIT_PER_IP_AUTH_PER_SECOND=1000000 COWRIE_RATE_LIMIT_PER_IP_AUTH_BURST=1000000
export COWRIE_SANDBOX_CALLBACK_DELAY_MS=0
export BENCH_PORT=$PORT

GATEWAY=
cleanup() {
  if [ -n "$GATEWAY" ]; then
    kill "$GATEWAY" 2>/dev/null || true
    wait "$GATEWAY" 2>/dev/null || true
  fi
  [ -n "${DRIVER_CLASSES:-}" ] && rm -rf "$DRIVER_CLASSES"
  redis-cli --scan --pattern "bench:$$:*" | head -100000 | xargs -r -n 500 redis-cli del > /dev/null || true
}
trap cleanup EXIT
# The driver (TransfersBench) talks to BENCH_PORT only; this proves that port is our gateway.
# BENCH_JAVA_OPTS adds gateway flags (a JFR recording, for instance).
bench_start_gateway "$PORT" BENCH_PORT .cowrie/bench-gateway.log -Xmx1g ${BENCH_JAVA_OPTS:-}

echo "== Cowrie over HTTP (concurrency $CONCURRENCY, $(nproc) cores, gateway + Postgres + Redis + driver on one machine)"
DRIVER_CLASSES=$(mktemp -d)
javac -nowarn -d "$DRIVER_CLASSES" -cp target/cowrie.jar scripts/bench/TransfersBench.java scripts/bench/CpuUse.java
BENCH_DB=$DB BENCH_GATEWAY_PID=$GATEWAY java -Xmx512m -cp "target/cowrie.jar:$DRIVER_CLASSES" TransfersBench

echo "== Invariants after the run"
$PSQL -d $DB -At -F ' ' -c "
  SELECT 'user wallets total', sum(b.balance), 'top-ups', (SELECT sum(amount) FROM payments WHERE purpose = 'wallet_topup' AND status = 'succeeded')
  FROM ledger_balances b JOIN ledger_accounts a ON a.id = b.account_id WHERE a.kind = 'user_wallet';
  SELECT 'negative wallets', count(*) FROM (SELECT a.id FROM ledger_accounts a JOIN ledger_balances b ON b.account_id = a.id
    WHERE a.kind = 'user_wallet' GROUP BY a.id HAVING sum(b.balance) < 0) n;
  SELECT 'unbalanced entries', count(*) FROM (SELECT entry_id FROM postings GROUP BY entry_id, currency HAVING sum(amount) <> 0) u;
  SELECT 'transfers', count(*) FROM transfers;"

# The yardstick: the one transaction a transfer needs (scripts/bench/transfer_min.sql), on tables
# shaped like ours, in a schema of the bench database.
$PSQL -d $DB <<'SQL'
DROP SCHEMA IF EXISTS raw CASCADE;
CREATE SCHEMA raw;
CREATE TABLE raw.entries (id bigserial PRIMARY KEY, kind text NOT NULL, reference text NOT NULL, created_at timestamptz DEFAULT now(), UNIQUE (kind, reference));
CREATE TABLE raw.balances (account int, shard int, balance bigint NOT NULL CHECK (balance >= 0), PRIMARY KEY (account, shard));
CREATE TABLE raw.postings (id bigserial PRIMARY KEY, entry_id bigint NOT NULL, account int NOT NULL, amount bigint NOT NULL);
CREATE TABLE raw.transfers (id bigserial PRIMARY KEY, sender int, recipient int, amount bigint, entry_id bigint, created_at timestamptz DEFAULT now());
CREATE TABLE raw.events (seq bigserial PRIMARY KEY, type text, data jsonb, created_at timestamptz DEFAULT now());
CREATE TABLE raw.idempotency_keys (idem_key text PRIMARY KEY, state text NOT NULL, response_status int, response_body text,
  locked_until timestamptz NOT NULL, created_at timestamptz DEFAULT now());
CREATE TABLE raw.audit_log (id bigserial PRIMARY KEY, at timestamptz DEFAULT now(), actor text, action text, target text, status int);
INSERT INTO raw.balances SELECT a, s, CASE WHEN s = 0 THEN 100000000 ELSE 0 END FROM generate_series(0, 1000) a, generate_series(0, 3) s;
SQL
TRANSFER_SQL=scripts/bench/transfer_min.sql
# Busy clock ticks (10 ms) of the whole machine: user, nice, system, irq, softirq, steal (not idle or iowait).
machine_busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }
HOT_SQL=$(mktemp)
sed -e 's/^\\set b random(1, 1000)/\\set b 0/' "$TRANSFER_SQL" > "$HOT_SQL"
trap 'cleanup; rm -f "$HOT_SQL"' EXIT

echo "== Raw PostgreSQL: pgbench, the same statements, concurrency $CONCURRENCY, ${PGBENCH_SECONDS}s each"
for script in "$TRANSFER_SQL:random wallets" "$HOT_SQL:one hot wallet"; do
  file=${script%%:*}; label=${script#*:}
  $PSQL -d $DB -qc "VACUUM ANALYZE" -qc "CHECKPOINT" >/dev/null # as before the gateway's phases (CpuUse.settleDatabase)
  busy_before=$(machine_busy_ticks)
  result=$(pgbench -h 127.0.0.1 -U postgres -n -c "$CONCURRENCY" -j 2 -T "$PGBENCH_SECONDS" -f "$file" $DB 2>/dev/null)
  busy=$(( $(machine_busy_ticks) - busy_before ))
  tps=$(awk '/^tps/ {print $3; exit}' <<< "$result")
  done_count=$(awk '/number of transactions actually processed/ {split($NF, n, "/"); print n[1]; exit}' <<< "$result")
  printf '%-34s %8s transfers/s   machine CPU per transfer %s ms (pgbench and PostgreSQL)\n' "pgbench, $label" "$tps" \
    "$(awk -v t="$busy" -v n="$done_count" 'BEGIN {printf "%.2f", (n > 0) ? t * 10 / n : 0}')"
done
