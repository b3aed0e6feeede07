#!/usr/bin/env bash
# Cluster benchmark: payments created per second by 1, 2 and 3 clustered gateway nodes on this
# machine (wrk on every node at once, the same total connections), then commit -> socket latency
# when the WebSocket listening is on another node than the one creating the payments.
# One database, one Redis; loopback only; every phase is bounded. Figures land in target/bench/.
set -euo pipefail
cd "$(dirname "$0")/../.."

DB="${COWRIE_BENCH_DB:-cowrie_bench_cluster}"
HTTP_BASE="${COWRIE_BENCH_PORT:-18280}"
CLUSTER_BASE="${COWRIE_BENCH_CLUSTER_PORT:-15880}"
SECONDS_RUN="${COWRIE_BENCH_SECONDS:-15}"
# Each fresh JVM compiles the hot paths for about a minute (the JIT compiler threads show it): warm up past
# that. N nodes each see 1/N of the traffic and reach the compiler's thresholds N times later, so the
# warm-up is WARMUP seconds per node (60, 120, 180 s).
WARMUP="${COWRIE_BENCH_WARMUP_SECONDS:-60}"
CONNECTIONS="${COWRIE_BENCH_CONNECTIONS:-24}"
MERCHANTS="${COWRIE_BENCH_MERCHANTS:-12}"
LATENCY_RATE="${COWRIE_BENCH_LATENCY_RATE:-20}"  # below what a loaded 2-core machine sustains, so no queue hides the hop
NODES_MAX="${COWRIE_BENCH_NODES_MAX:-3}"
OUT=target/bench/cluster
mkdir -p "$OUT"
. scripts/bench/gateway.sh # cpu_mark, cpu_per_op

command -v wrk >/dev/null || { echo "installing wrk (Debian package)"; apt-get install -y -qq wrk >/dev/null; }
[ -f target/cowrie.jar ] && [ -d target/test-classes/dev/cowrie/bench ] || mvn -B -q -DskipTests package

psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" >/dev/null

ADMIN_TOKEN="bench_admin_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export COWRIE_PG_URL="postgresql://postgres@127.0.0.1:5432/$DB" COWRIE_ADMIN_TOKEN="$ADMIN_TOKEN" \
  COWRIE_MASTER_KEY="$(head -c 32 /dev/urandom | base64)" COWRIE_REDIS_KEY_PREFIX="bench:cluster:$$:" \
  COWRIE_RATE_LIMIT_PER_KEY_PER_SECOND=1000000 COWRIE_RATE_LIMIT_PER_KEY_BURST=1000000 COWRIE_PG_POOL_SIZE=8 \
  COWRIE_SANDBOX_LATENCY_MS=0 COWRIE_SANDBOX_FAILURE_RATE=0.0 COWRIE_SANDBOX_CALLBACK_DELAY_MS=600000 \
  COWRIE_CLUSTER_ENABLED=true COWRIE_PUBLIC_URL="http://127.0.0.1:$HTTP_BASE"

PIDS=()
stop_nodes() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}
trap stop_nodes EXIT

start_nodes() {
  local nodes="$1" members="" i
  for ((i = 0; i < nodes; i++)); do members+="${members:+,}127.0.0.1:$((CLUSTER_BASE + i))"; done
  for ((i = 0; i < nodes; i++)); do
    COWRIE_HTTP_PORT=$((HTTP_BASE + i)) COWRIE_CLUSTER_PORT=$((CLUSTER_BASE + i)) COWRIE_CLUSTER_MEMBERS="$members" \
      java -Xmx512m -jar target/cowrie.jar > "$OUT/n$nodes-node$((i + 1)).log" 2>&1 &
    PIDS+=($!)
  done
  for ((i = 0; i < nodes; i++)); do
    for _ in $(seq 1 300); do
      curl -fs "http://127.0.0.1:$((HTTP_BASE + i))/health/ready" 2>/dev/null | grep -q "\"cluster\":$nodes" && break
      sleep 0.5
    done
    curl -fs "http://127.0.0.1:$((HTTP_BASE + i))/health/ready" | grep -q "\"cluster\":$nodes" \
      || { echo "node $((i + 1)) of $nodes not ready; see $OUT/n$nodes-node$((i + 1)).log"; exit 1; }
  done
}

# wrk on every node at once, CONNECTIONS split between them; prints the summed requests per second.
load() {
  local nodes="$1" seconds="$2" per=$(( CONNECTIONS / $1 )) i wrks=()
  for ((i = 0; i < nodes; i++)); do
    COWRIE_BENCH_KEYS="$OUT/keys.txt" COWRIE_BENCH_RUN="n$nodes-$i-$seconds-" wrk -t1 -c"$per" -d"${seconds}s" --timeout 10s -s scripts/bench/payments.lua \
      "http://127.0.0.1:$((HTTP_BASE + i))" > "$OUT/wrk-$nodes-$i.txt" 2>&1 &
    wrks+=($!)
  done
  wait "${wrks[@]}" || true
  cat "$OUT"/wrk-"$nodes"-*.txt | grep -E '^Requests/sec' | awk '{ s += $2 } END { printf "%d", s }'
}

# Clock ticks (10 ms) the running nodes have used so far.
nodes_cpu_ticks() {
  local pid total=0
  for pid in "${PIDS[@]}"; do total=$(( total + $(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$pid/stat") )); done
  echo "$total"
}

declare -A RPS
for ((nodes = 1; nodes <= NODES_MAX; nodes++)); do
  echo "== $nodes node(s) =="
  start_nodes "$nodes"
  if [[ $nodes == 1 ]]; then
    java -cp target/cowrie.jar:target/test-classes dev.cowrie.bench.PaymentsBench setup "http://127.0.0.1:$HTTP_BASE" "$ADMIN_TOKEN" \
      "$MERCHANTS" "$OUT/merchants.json"
    grep -o '"secret" : "[^"]*"' "$OUT/merchants.json" | sed 's/.*: "\(.*\)"/\1/' > "$OUT/keys.txt"
  fi
  load "$nodes" "$(( WARMUP * nodes ))" > /dev/null
  NODES_CPU_BEFORE=$(nodes_cpu_ticks)
  MARK_BEFORE=$(cpu_mark "${PIDS[0]}" "$DB")
  THREADS_BEFORE=()
  for pid in "${PIDS[@]}"; do THREADS_BEFORE+=("$(thread_groups "$pid")"); done
  RPS[$nodes]=$(load "$nodes" "$SECONDS_RUN")
  MARK_AFTER=$(cpu_mark "${PIDS[0]}" "$DB")
  NODES_CPU=$(( $(nodes_cpu_ticks) - NODES_CPU_BEFORE ))
  for ((i = 0; i < nodes; i++)); do
    served=$(grep -h '^wrk:' "$OUT/wrk-$nodes-$i.txt" | sed -E 's/^wrk: ([0-9]+) requests.*/\1/')
    echo "node $((i + 1)) served $served payments; its CPU per payment it served:"
    thread_groups_per_op "${THREADS_BEFORE[$i]}" "$(thread_groups "${PIDS[$i]}")" "$served" payment
  done
  echo "payments created: ${RPS[$nodes]} per second ($CONNECTIONS connections over $nodes node(s), ${SECONDS_RUN}s)"
  # The gateway figure of cpu_per_op is node 1 alone; the line after it sums every node.
  cpu_per_op "$MARK_BEFORE" "$MARK_AFTER" "$(( RPS[$nodes] * SECONDS_RUN ))" payment
  awk -v t="$NODES_CPU" -v n="$(( RPS[$nodes] * SECONDS_RUN ))" -v k="$nodes" \
    'BEGIN { if (n > 0) printf "CPU per payment, all %d gateway node(s) together: %.2f ms\n", k, t * 10 / n }'
  if [[ $nodes -ge 2 ]]; then
    java -cp target/cowrie.jar:target/test-classes dev.cowrie.bench.ClusterLatencyBench "http://127.0.0.1:$HTTP_BASE" \
      "http://127.0.0.1:$((HTTP_BASE + nodes - 1))" "$(head -1 "$OUT/keys.txt")" "$LATENCY_RATE" 10 \
      | tee "$OUT/latency-$nodes.txt"
  fi
  stop_nodes
done

echo "== summary =="
for ((nodes = 1; nodes <= NODES_MAX; nodes++)); do
  echo "$nodes node(s): ${RPS[$nodes]} payments/s, $(awk -v a="${RPS[$nodes]}" -v b="${RPS[1]}" 'BEGIN { printf "%.2f", a / b }') x one node"
done
