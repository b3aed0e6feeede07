package dev.cowrie;

import dev.cowrie.cli.AdminCli;
import java.util.Arrays;

/** {@code java -jar cowrie.jar} runs the gateway; {@code java -jar cowrie.jar admin …} the operator CLI. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("admin")) {
      System.exit(AdminCli.run(Arrays.copyOfRange(args, 1, args.length)));
    }
    // Exits from the main thread only; once started, the gateway runs until a signal stops it (Lifecycle).
    int exitCode = Lifecycle.start();
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }
}
