// Shared by the bench drivers (compiled beside them by the bench scripts).
/**
 * Where the machine's CPU went during a phase, from /proc (clock ticks of 10 ms): the whole machine
 * (busy, not idle or iowait), the gateway (BENCH_GATEWAY_PID), PostgreSQL's processes, Redis and this
 * driver. Divided by the operations of the phase it says what one operation costs each of them.
 */
public final class CpuUse {
  public record Snapshot(long machine, long gateway, long gatewayKernel, long postgres, long redis, long driver, long commits) {}

  static final String DATABASE = System.getenv().getOrDefault("BENCH_DB", "cowrie_bench");

  public static Snapshot now() {
    return new Snapshot(machineBusy(), ticks(gatewayPid()), kernelTicks(gatewayPid()), postgres(), byCommand("redis-server"),
        ticks(ProcessHandle.current().pid()), commits());
  }

  public static void print(Snapshot before, Snapshot after, int operations, String what) {
    System.out.printf("    CPU per %s: machine %.2f ms = gateway %.2f (kernel %.2f) + PostgreSQL %.2f + Redis %.2f + driver %.2f (+ rest) ms;"
            + " write transactions per %s %.2f (background included)%n", what,
        perOperation(after.machine() - before.machine(), operations), perOperation(after.gateway() - before.gateway(), operations),
        perOperation(after.gatewayKernel() - before.gatewayKernel(), operations),
        perOperation(after.postgres() - before.postgres(), operations), perOperation(after.redis() - before.redis(), operations),
        perOperation(after.driver() - before.driver(), operations), what,
        (after.commits() - before.commits()) / (double) operations);
  }

  /** The benchmark database's backends and the server's own processes (not other databases' sessions). */
  private static long postgres() {
    return ProcessHandle.allProcesses()
        .filter(process -> "postgres".equals(read("/proc/" + process.pid() + "/comm").trim()))
        .filter(process -> {
          String command = read("/proc/" + process.pid() + "/cmdline").replace('\0', ' ');
          boolean session = command.contains("127.0.0.1(") || command.contains("[local]");
          return !session || command.contains(" " + DATABASE + " ");
        })
        .mapToLong(process -> ticks(process.pid())).sum();
  }

  /**
   * Write transactions begun on the server so far: the next transaction id (read without taking one).
   * Exact, server-wide: run on a quiet machine, or other databases' writes count too.
   */
  private static long commits() {
    try {
      Process psql = new ProcessBuilder("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DATABASE, "-Atc",
          "SELECT pg_snapshot_xmax(pg_current_snapshot())")
          .redirectErrorStream(true).start();
      String[] lines = new String(psql.getInputStream().readAllBytes()).trim().split("\n");
      psql.waitFor();
      return Long.parseLong(lines[lines.length - 1].trim());
    } catch (Exception e) {
      return 0;
    }
  }

  /**
   * Before a measured phase: ANALYZE (autovacuum is off on this machine's PostgreSQL, so nothing else
   * gathers statistics, and plans cached while the tables were empty pick the wrong index as they
   * grow), then CHECKPOINT, so a checkpoint started by WAL volume does not land inside the phase.
   */
  static void settleDatabase() {
    try {
      new ProcessBuilder("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DATABASE, "-qc", "VACUUM ANALYZE", "-qc", "CHECKPOINT")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    } catch (Exception e) {
      System.out.println("(could not analyze and checkpoint " + DATABASE + ": " + e.getMessage() + ")");
    }
  }

  /**
   * Seconds the gateway's JIT has spent compiling so far (jstat's Time column), or -1 when jstat
   * cannot read it. A warm-up that runs until this stops growing measures a settled gateway.
   */
  static double compileSeconds() {
    try {
      Process jstat = new ProcessBuilder("jstat", "-compiler", Long.toString(gatewayPid())).redirectErrorStream(true).start();
      String[] lines = new String(jstat.getInputStream().readAllBytes()).trim().split("\n");
      jstat.waitFor();
      return lines.length < 2 ? -1 : Double.parseDouble(lines[1].trim().split("\\s+")[3]);
    } catch (Exception e) {
      return -1;
    }
  }

  private static double perOperation(long ticks, int operations) {
    return ticks * 10.0 / operations;
  }

  private static long gatewayPid() {
    String pid = System.getenv("BENCH_GATEWAY_PID");
    return pid == null || pid.isBlank() ? -1 : Long.parseLong(pid.trim());
  }

  private static long machineBusy() {
    try {
      String[] cpu = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0).trim().split("\\s+");
      // user nice system idle iowait irq softirq steal
      return Long.parseLong(cpu[1]) + Long.parseLong(cpu[2]) + Long.parseLong(cpu[3]) + Long.parseLong(cpu[6])
          + Long.parseLong(cpu[7]) + Long.parseLong(cpu[8]);
    } catch (Exception e) {
      return 0;
    }
  }

  private static long byCommand(String command) {
    return ProcessHandle.allProcesses()
        .filter(process -> command.equals(read("/proc/" + process.pid() + "/comm").trim()))
        .mapToLong(process -> ticks(process.pid())).sum();
  }

  /** utime + stime of one process (fields 14 and 15 of /proc/PID/stat, after the command in parentheses). */
  static long ticks(long pid) {
    String stat = pid < 0 ? "" : read("/proc/" + pid + "/stat");
    int end = stat.lastIndexOf(')');
    if (end < 0) {
      return 0;
    }
    String[] fields = stat.substring(end + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /** stime alone: the time the kernel spent on the process's system calls (sockets, epoll). */
  static long kernelTicks(long pid) {
    String stat = pid < 0 ? "" : read("/proc/" + pid + "/stat");
    int end = stat.lastIndexOf(')');
    return end < 0 ? 0 : Long.parseLong(stat.substring(end + 2).split(" ")[12]);
  }

  private static String read(String path) {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of(path));
    } catch (Exception e) {
      return "";
    }
  }
}
