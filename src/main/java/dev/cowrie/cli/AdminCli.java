package dev.cowrie.cli;

import dev.cowrie.config.CowrieConfig;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cowrie admin …}: operator commands against the gateway's own database and config. */
@Command(name = "cowrie admin", mixinStandardHelpOptions = true,
    description = "Operate a Cowrie gateway: merchants, API keys, users, plans and the ledger.",
    subcommands = {MerchantCommands.class, ApiKeyCommands.class, UserCommands.class, LedgerCommands.class, DemoCommand.class,
        ReconcileCommand.class, CallbackCommands.class, WebhookCommands.class, PlanCommands.class, KycCommands.class})
public final class AdminCli implements Callable<Integer> {
  /** The config of the command running on this thread; set by {@link #run(CowrieConfig, String...)}. */
  private static final ThreadLocal<CowrieConfig> CONFIG = new ThreadLocal<>();

  public static int run(String... args) {
    return execute(args);
  }

  /** Runs with an explicit config instead of the environment; tests point it at their own schema. */
  public static int run(CowrieConfig config, String... args) {
    CONFIG.set(config);
    try {
      return execute(args);
    } finally {
      CONFIG.remove();
    }
  }

  private static int execute(String... args) {
    CommandLine cli = new CommandLine(new AdminCli());
    // A mistyped flag gets one line, not the whole usage text.
    cli.setParameterExceptionHandler((failure, ignoredArgs) -> {
      CommandLine command = failure.getCommandLine();
      command.getErr().println("error: " + failure.getMessage() + " (try: " + command.getCommandSpec().qualifiedName() + " --help)");
      return command.getCommandSpec().exitCodeOnInvalidInput();
    });
    cli.setExecutionExceptionHandler((failure, commandLine, parsed) -> {
      commandLine.getErr().println("error: " + failure.getMessage());
      return failure instanceof CliContext.CliFailure || failure instanceof dev.cowrie.common.CowrieError ? 1 : 2;
    });
    return cli.execute(args);
  }

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 0;
  }

  /** Runs {@code body} with a context, closing it afterwards. */
  static int withContext(Function<CliContext, Integer> body) {
    CowrieConfig config = CONFIG.get();
    try (CliContext context = new CliContext(config != null ? config : CowrieConfig.load())) {
      return body.apply(context);
    }
  }
}
