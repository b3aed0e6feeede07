package dev.cowrie.cli;

import dev.cowrie.config.CowrieConfig;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cowrie admin …}: operator commands against the gateway's own database and config. */
@Command(name = "cowrie admin", mixinStandardHelpOptions = true,
    description = "Operate a Cowrie gateway: merchants, API keys, users and the ledger.",
    subcommands = {MerchantCommands.class, ApiKeyCommands.class, UserCommands.class, LedgerCommands.class, WebhookCommands.class})
public final class AdminCli implements Callable<Integer> {

  public static int run(String... args) {
    CommandLine cli = new CommandLine(new AdminCli());
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
    try (CliContext context = new CliContext(CowrieConfig.load())) {
      return body.apply(context);
    }
  }
}
