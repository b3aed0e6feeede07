package dev.cowrie.cli;

import dev.cowrie.auth.Merchants;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "merchant", description = "Create and list merchants.", mixinStandardHelpOptions = true)
final class MerchantCommands {

  @Command(name = "create", description = "Create a merchant and print its id and first test keys (shown once).")
  int create(@Option(names = "--name", required = true) String name,
      @Option(names = "--email", required = true) String email,
      @Option(names = "--json", description = "machine-readable output") boolean json) {
    if (!email.matches("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")) {
      throw new CliContext.CliFailure("--email must be an email address");
    }
    return AdminCli.withContext(context -> {
      JsonObject merchant = context.await(Merchants.create(context.pool, name, email, Instant.now()));
      context.audit("merchant create", merchant.getString("id"), merchant.getString("id"));
      JsonObject keys = merchant.getJsonObject("api_keys");
      CliContext.print(merchant, json, String.join("\n",
          "merchant:        " + merchant.getString("id") + "  (" + name + ", " + email + ")",
          "secret key:      " + keys.getString("secret"),
          "publishable key: " + keys.getString("publishable"),
          "The keys are shown only now; store them safely."));
      return 0;
    });
  }

  @Command(name = "list", description = "List merchants, newest first.")
  int list(@Option(names = "--limit", defaultValue = "100") int limit, @Option(names = "--json") boolean json) {
    return AdminCli.withContext(context -> {
      var merchants = context.await(Merchants.list(context.pool, Math.max(1, Math.min(limit, 1000))));
      StringBuilder human = new StringBuilder();
      merchants.forEach(item -> {
        JsonObject merchant = (JsonObject) item;
        human.append(merchant.getString("id")).append("  ").append(merchant.getString("name"))
            .append("  ").append(merchant.getString("email")).append('\n');
      });
      CliContext.print(new JsonObject().put("data", merchants), json, human.toString().stripTrailing());
      return 0;
    });
  }
}
