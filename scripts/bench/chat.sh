#!/usr/bin/env bash
# Benchmark of chat, on loopback, bounded in count and time:
#   posts/s into one room of 100 connected WebSocket clients (p50/p99) and frames/s delivered to them,
#   posts/s spread over 20 rooms, every frame checked to arrive once and in seq order per socket,
#   and, in the same run, pgbench executing the SQL one post needs (message row + outbox event) at the
#   same concurrency — the yardstick — plus the former design (the room row locked until commit).
# Uses its own database (cowrie_chat_bench, dropped first) and its own Redis key prefix (deleted after).
# Knobs: BENCH_CONCURRENCY (32) BENCH_CHAT_CLIENTS (100) BENCH_CHAT_POSTS (2000) BENCH_CHAT_ROOMS (20)
#        BENCH_PGBENCH_SECONDS (10) BENCH_PORT (18081) BENCH_JAR (target/cowrie.jar: another build to compare)
#        BENCH_CHAT_WARMUP (1000 unreported posts into the busy room first, so the JIT has compiled the post path)
#        BENCH_JAVA_OPTS (extra gateway JVM flags, e.g. -XX:StartFlightRecording=duration=60s,filename=/tmp/chat.jfr).
set -euo pipefail
cd "$(dirname "$0")/../.."

PORT=${BENCH_PORT:-18081}
CONCURRENCY=${BENCH_CONCURRENCY:-32}
PGBENCH_SECONDS=${BENCH_PGBENCH_SECONDS:-10}
DB=cowrie_chat_bench
PSQL="psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -q"
mkdir -p .cowrie

JAR=${BENCH_JAR:-target/cowrie.jar}
[ -f "$JAR" ] || mvn -B -q package -DskipTests

$PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"

export COWRIE_PG_URL="postgresql://postgres@127.0.0.1:5432/$DB"
export COWRIE_HTTP_HOST=127.0.0.1 COWRIE_HTTP_PORT=$PORT COWRIE_PUBLIC_URL="http://127.0.0.1:$PORT"
export COWRIE_ADMIN_TOKEN="adm_bench_$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
export COWRIE_MASTER_KEY="$(head -c 32 /dev/urandom | base64)"
export COWRIE_REDIS_KEY_PREFIX="chatbench:$$:"
export COWRIE_AUTH_BCRYPT_COST=4 COWRIE_PG_POOL_SIZE=${BENCH_PG_POOL_SIZE:-32}
export COWRIE_RATE_LIMIT_PER_KEY_PER_SECOND=1000000 COWRIE_RATE_LIMIT_PER_KEY_BURST=1000000
export COWRIE_RATE_LIMIT_PER_IP_AUTH_PER_SECOND=1000000 COWRIE_RATE_LIMIT_PER_IP_AUTH_BURST=1000000
export BENCH_PORT=$PORT

java -Xmx1g ${BENCH_JAVA_OPTS:-} -jar "$JAR" > .cowrie/chat-bench-gateway.log 2>&1 &
GATEWAY=$!
POST_SQL=$(mktemp)
LOCKED_SQL=$(mktemp)
cleanup() {
  kill "$GATEWAY" 2>/dev/null || true
  wait "$GATEWAY" 2>/dev/null || true
  [ -n "${DRIVER_CLASSES:-}" ] && rm -rf "$DRIVER_CLASSES"
  redis-cli --scan --pattern "chatbench:$$:*" | head -100000 | xargs -r -n 500 redis-cli del > /dev/null || true
  rm -f "$POST_SQL" "$LOCKED_SQL"
}
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/health/ready" > /dev/null && break
  kill -0 "$GATEWAY" 2>/dev/null || { echo "gateway died; see .cowrie/chat-bench-gateway.log"; exit 1; }
  sleep 0.5
done

echo "== Cowrie over HTTP + WebSocket (concurrency $CONCURRENCY, $(nproc) cores, gateway + Postgres + Redis + driver on one machine)"
COMMITS="SELECT xact_commit FROM pg_stat_database WHERE datname = '$DB'"
commits_before=$($PSQL -d postgres -At -c "$COMMITS")
DRIVER_CLASSES=$(mktemp -d)
javac -nowarn -d "$DRIVER_CLASSES" -cp target/cowrie.jar scripts/bench/ChatBench.java scripts/bench/CpuUse.java
BENCH_DB=$DB BENCH_GATEWAY_PID=$GATEWAY java -Xmx512m -cp "target/cowrie.jar:$DRIVER_CLASSES" ChatBench | tee .cowrie/chat-bench.out
sleep 1 # the statistics collector reports every 500 ms
commits=$(( $($PSQL -d postgres -At -c "$COMMITS") - commits_before ))
posts=$(( ${BENCH_CHAT_WARMUP:-1000} + 2 * ${BENCH_CHAT_POSTS:-2000} ))
awk -v c="$commits" -v p="$posts" 'BEGIN { printf "%-36s %8d transactions for %d posts = %.2f per post (sign-ups and background work included)\n", "PostgreSQL commits, HTTP phases", c, p, c / p }'

echo "== Invariants after the run"
$PSQL -d $DB -At -F ' ' -c "
  SELECT 'rooms whose seqs have a gap or a duplicate', count(*) FROM (SELECT room_id FROM chat_messages GROUP BY room_id
    HAVING count(*) <> max(seq) OR count(DISTINCT seq) <> count(*)) g;
  SELECT 'messages', count(*), 'events', (SELECT count(*) FROM events WHERE type = 'chat.message.created') FROM chat_messages;"

# The statements one post needs, on tables shaped like ours: the message row and its outbox event, one
# transaction per post. The yardstick numbers posts from a sequence (no room lock); the second script is
# the former design, which took the room's next seq under the room row's lock until commit.
$PSQL -d $DB <<'SQL'
DROP SCHEMA IF EXISTS raw CASCADE;
CREATE SCHEMA raw;
CREATE TABLE raw.rooms (id int PRIMARY KEY, last_seq bigint NOT NULL DEFAULT 0);
INSERT INTO raw.rooms VALUES (1), (2);
CREATE SEQUENCE raw.seq;
CREATE TABLE raw.messages (id text PRIMARY KEY, room_id int NOT NULL, seq bigint NOT NULL, sender text NOT NULL, kind text NOT NULL,
  text text, data jsonb, created_at timestamptz NOT NULL DEFAULT now(), UNIQUE (room_id, seq));
CREATE TABLE raw.events (seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE, type text NOT NULL, data jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(), relayed_at timestamptz);
SQL
cat > "$POST_SQL" <<'SQL'
BEGIN;
INSERT INTO raw.messages (id, room_id, seq, sender, kind, text) VALUES (md5(random()::text), 1, nextval('raw.seq'), 'member1', 'text', 'bench message');
INSERT INTO raw.events (id, type, data) VALUES (md5(random()::text), 'chat.message.created', '{"object":{"text":"bench message"}}');
COMMIT;
SQL
cat > "$LOCKED_SQL" <<'SQL'
BEGIN;
UPDATE raw.rooms SET last_seq = last_seq + 1 WHERE id = 2 RETURNING last_seq AS seq \gset
INSERT INTO raw.messages (id, room_id, seq, sender, kind, text) VALUES (md5(random()::text), 2, :seq, 'member1', 'text', 'bench message');
INSERT INTO raw.events (id, type, data) VALUES (md5(random()::text), 'chat.message.created', '{"object":{"text":"bench message"}}');
COMMIT;
SQL

echo "== Raw PostgreSQL: pgbench, the statements of one post, concurrency $CONCURRENCY, ${PGBENCH_SECONDS}s each"
declare -A TPS
for script in "$POST_SQL:yardstick" "$LOCKED_SQL:room row locked"; do
  file=${script%%:*}; label=${script#*:}
  TPS[$label]=$(pgbench -h 127.0.0.1 -U postgres -n -c "$CONCURRENCY" -j 2 -T "$PGBENCH_SECONDS" -f "$file" $DB 2>/dev/null \
    | awk '/^tps/ {print $3; exit}')
  printf '%-36s %8s posts/s\n' "pgbench, $label" "${TPS[$label]}"
done
busy=$(awk '/^posts, one room/ {for (i = 1; i <= NF; i++) if ($i == "posts/s") print $(i-1)}' .cowrie/chat-bench.out)
awk -v busy="$busy" -v raw="${TPS[yardstick]}" 'BEGIN { if (raw > 0) printf "%-36s %8.2f x the yardstick\n", "one busy room over HTTP", busy / raw }'
