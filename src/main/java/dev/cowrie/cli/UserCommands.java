package dev.cowrie.cli;

import dev.cowrie.auth.Passwords;
import dev.cowrie.auth.Users;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "user", description = "Create dashboard or wallet users.", mixinStandardHelpOptions = true)
final class UserCommands {

  @Command(name = "create", description = "Create a user who logs in at POST /v1/auth/token.")
  int create(@Option(names = "--merchant", required = true) String merchantId,
      @Option(names = "--username", required = true) String username,
      @Option(names = "--password", required = true, description = "8 to 72 bytes") String password,
      @Option(names = "--type", defaultValue = "dashboard", description = "dashboard or wallet") String type,
      @Option(names = "--mode", defaultValue = "test") String mode,
      @Option(names = "--json") boolean json) {
    if (!type.equals("dashboard") && !type.equals("wallet")) {
      throw new CliContext.CliFailure("--type must be dashboard or wallet");
    }
    if (!mode.equals("test") && !mode.equals("live")) {
      throw new CliContext.CliFailure("--mode must be test or live");
    }
    return AdminCli.withContext(context -> {
      Passwords passwords = new Passwords(context.vertx, context.config.auth().bcryptCost());
      JsonObject user = context.await(Users.create(context.pool, passwords, merchantId, type, mode, username, password));
      context.audit("user create", merchantId, user.getString("id"));
      CliContext.print(user, json, user.getString("id") + "  " + username + " (" + type + ", " + mode + ")");
      return 0;
    });
  }
}
