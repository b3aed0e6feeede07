# Sourced by the bench scripts: start the gateway a benchmark drives, and make sure the gateway
# answering on the port is that one (not a leftover or someone else's on the same port).
. scripts/class-archive.sh

# bench_require_free_port PORT VARIABLE: refuse to run when anything already listens on PORT.
bench_require_free_port() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    echo "port $1 is already in use (another gateway?); stop it or set $2 to a free port" >&2
    exit 1
  fi
}

# bench_start_gateway PORT VARIABLE LOG [JVM options...]: starts target/cowrie.jar (COWRIE_* from the
# environment; COWRIE_ADMIN_TOKEN must be this run's own), waits until it is ready, then proves it is
# ours: it must still be alive and accept this run's admin token, which no other gateway knows.
# Sets GATEWAY to its pid (the caller's EXIT trap stops it) and GATEWAY_CLASS_ARCHIVE to whether it
# mapped the class archive (scripts/class-archive.sh), as a start as `scripts/cowrie up` makes does.
bench_start_gateway() {
  local port=$1 variable=$2 log=$3
  shift 3
  : "${COWRIE_ADMIN_TOKEN:?bench_start_gateway needs a COWRIE_ADMIN_TOKEN made for this run}"
  bench_require_free_port "$port" "$variable"
  local archive_options
  archive_options=$(class_archive_options target/cowrie.jar write)
  case "$archive_options" in
    *SharedArchiveFile*) GATEWAY_CLASS_ARCHIVE="class archive mapped" ;;
    *ArchiveClassesAtExit*) GATEWAY_CLASS_ARCHIVE="no class archive yet: this gateway writes it as it stops" ;;
    *) GATEWAY_CLASS_ARCHIVE="class archive off" ;;
  esac
  # shellcheck disable=SC2086 # the options are words
  java $archive_options "$@" -jar target/cowrie.jar > "$log" 2>&1 &
  GATEWAY=$!
  for _ in $(seq 1 2400); do
    kill -0 "$GATEWAY" 2>/dev/null || { echo "the gateway exited: $(grep -m1 'cannot start' "$log" || tail -1 "$log")" >&2; exit 1; }
    curl -fs "http://127.0.0.1:$port/health/ready" > /dev/null 2>&1 && break
    sleep 0.05
  done
  kill -0 "$GATEWAY" 2>/dev/null \
    && curl -fs -o /dev/null -H "Authorization: Bearer $COWRIE_ADMIN_TOKEN" "http://127.0.0.1:$port/v1/admin/merchants?limit=1" \
    || { echo "the gateway on port $port is not the one this run started (pid $GATEWAY); see $log" >&2; exit 1; }
}

# cpu_mark PID DB: one line "gateway postgres machine xid" (clock ticks of 10 ms; PostgreSQL = the
# server's own processes and DB's sessions; machine = busy time of all cores; xid = next transaction id).
cpu_mark() {
  local pid=$1 db=$2 postgres=0 p command
  for p in $(pgrep -x postgres); do
    command=$(tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null) || continue
    case "$command" in
      *"127.0.0.1("*|*"[local]"*) [[ "$command" == *" $db "* ]] || continue ;;
    esac
    postgres=$(( postgres + $(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$p/stat" 2>/dev/null || echo 0) ))
  done
  echo "$(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$pid/stat") $postgres" \
    "$(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat)" \
    "$(psql -h 127.0.0.1 -U postgres -d "$db" -Atc 'SELECT pg_snapshot_xmax(pg_current_snapshot())')"
}

# cpu_per_op "MARK_BEFORE" "MARK_AFTER" OPERATIONS WHAT: what one operation cost each side, from two cpu_marks.
cpu_per_op() {
  awk -v before="$1" -v after="$2" -v n="$3" -v what="$4" 'BEGIN {
    split(before, b, " "); split(after, a, " ");
    if (n <= 0) exit;
    printf "CPU per %s: gateway %.2f ms, PostgreSQL %.2f ms, machine %.2f ms; write transactions per %s %.2f (background included; server-wide)\n",
      what, (a[1] - b[1]) * 10 / n, (a[2] - b[2]) * 10 / n, (a[3] - b[3]) * 10 / n, what, (a[4] - b[4]) / n }'
}

# thread_groups PID: clock ticks a JVM's threads have used so far, by kind:
# "jit gc event_loops hazelcast other" (from /proc/PID/task/*/stat and each thread's name).
thread_groups() {
  local pid=$1 task name ticks jit=0 gc=0 loops=0 hz=0 other=0
  for task in /proc/"$pid"/task/*; do
    name=$(cat "$task/comm" 2>/dev/null) || continue
    ticks=$(awk '{sub(/.*\) /, ""); print $12 + $13}' "$task/stat" 2>/dev/null) || continue
    case "$name" in
      C1\ Compiler*|C2\ Compiler*) jit=$((jit + ticks)) ;;
      G1*|GC\ Thread*|VM\ Thread) gc=$((gc + ticks)) ;;
      vert.x-eventloo*) loops=$((loops + ticks)) ;;
      hz.*) hz=$((hz + ticks)) ;;
      *) other=$((other + ticks)) ;;
    esac
  done
  echo "$jit $gc $loops $hz $other"
}

# thread_groups_per_op "BEFORE" "AFTER" OPERATIONS WHAT: ms of CPU per operation by kind of thread.
thread_groups_per_op() {
  awk -v before="$1" -v after="$2" -v n="$3" -v what="$4" 'BEGIN {
    split(before, b, " "); split(after, a, " "); if (n <= 0) exit;
    printf "  by thread, per %s: JIT compiler %.2f ms, GC and VM %.2f ms, event loops %.2f ms, Hazelcast %.2f ms, other %.2f ms\n",
      what, (a[1]-b[1])*10/n, (a[2]-b[2])*10/n, (a[3]-b[3])*10/n, (a[4]-b[4])*10/n, (a[5]-b[5])*10/n }'
}

# compile_seconds PID: seconds the JVM PID's JIT has spent compiling so far (jstat), empty if unreadable.
compile_seconds() { jstat -compiler "$1" 2>/dev/null | awk 'NR == 2 { print $4 }'; }

# warm_up_until_compiled PID COMMAND...: runs COMMAND (one round of load, about 15 s) again and
# again until the JVM PID has finished compiling its hot code: its JIT's compile time (jstat) grew
# by under half a second in a round. At least COWRIE_BENCH_WARMUP_MIN_SECONDS (45), at most
# COWRIE_BENCH_WARMUP_MAX_SECONDS (240). On two cores the gateway needs 90-150 s of load for that:
# after 30 s its compiler still took a third of its CPU, and a payment cost the gateway 1.9-2.2 ms
# of CPU, against 1.0 ms once compiled. Prints how long it took and why it stopped.
warm_up_until_compiled() {
  local pid=$1 min="${COWRIE_BENCH_WARMUP_MIN_SECONDS:-45}" max="${COWRIE_BENCH_WARMUP_MAX_SECONDS:-240}"
  local started before after grown elapsed
  shift
  if [ -z "$(compile_seconds "$pid")" ]; then
    echo "warm-up: jstat cannot read pid $pid; a fixed ${min} s instead"
    local until=$(( $(date +%s) + min ))
    while (( $(date +%s) < until )); do "$@" > /dev/null; done
    return
  fi
  started=$(date +%s)
  while :; do
    before=$(compile_seconds "$pid")
    "$@" > /dev/null
    after=$(compile_seconds "$pid")
    elapsed=$(( $(date +%s) - started ))
    grown=$(awk -v a="$before" -v b="$after" 'BEGIN { printf "%.2f", b - a }')
    if (( elapsed >= min )) && awk -v g="$grown" 'BEGIN { exit !(g < 0.5) }'; then
      echo "warm-up: ${elapsed} s of load until the JIT settled (${grown} s of compiling in the last round, $after s in all)"
      return
    fi
    if (( elapsed >= max )); then
      echo "warm-up: stopped at ${elapsed} s with the JIT still compiling (${grown} s in the last round)"
      return
    fi
  done
}
