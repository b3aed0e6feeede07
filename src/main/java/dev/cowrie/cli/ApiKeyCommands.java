package dev.cowrie.cli;

import dev.cowrie.auth.ApiKeys;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "apikey", description = "Create, list, revoke and roll a merchant's API keys.", mixinStandardHelpOptions = true)
final class ApiKeyCommands {

  @Command(name = "create", description = "Create a key; it is printed once.")
  int create(@Option(names = "--merchant", required = true) String merchantId,
      @Option(names = "--mode", defaultValue = "test", description = "test or live") String mode,
      @Option(names = "--type", defaultValue = "secret", description = "secret or publishable") String type,
      @Option(names = "--json") boolean json) {
    if (!mode.equals("test") && !mode.equals("live")) {
      throw new CliContext.CliFailure("--mode must be test or live");
    }
    if (!type.equals("secret") && !type.equals("publishable")) {
      throw new CliContext.CliFailure("--type must be secret or publishable");
    }
    return AdminCli.withContext(context -> {
      requireMerchant(context, merchantId);
      ApiKeys.NewKey key = context.await(ApiKeys.create(context.pool, merchantId, mode, type));
      context.audit("apikey create", merchantId, key.id());
      CliContext.print(key.toJson(), json, key.id() + "  " + key.plain() + "\n(shown only now)");
      return 0;
    });
  }

  @Command(name = "list", description = "List a merchant's keys (never the keys themselves).")
  int list(@Option(names = "--merchant", required = true) String merchantId, @Option(names = "--json") boolean json) {
    return AdminCli.withContext(context -> {
      requireMerchant(context, merchantId); // an empty list would read as "this merchant has no keys"
      var keys = context.await(ApiKeys.list(context.pool, merchantId, null));
      StringBuilder human = new StringBuilder();
      keys.forEach(item -> {
        JsonObject key = (JsonObject) item;
        human.append(key.getString("id")).append("  ").append(key.getString("display")).append("  ")
            .append(key.getBoolean("revoked") ? "revoked" : "active").append('\n');
      });
      CliContext.print(new JsonObject().put("data", keys), json, human.toString().stripTrailing());
      return 0;
    });
  }

  private static void requireMerchant(CliContext context, String merchantId) {
    var exists = context.await(context.pool.preparedQuery("SELECT 1 FROM merchants WHERE id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(merchantId)));
    if (exists.size() == 0) {
      throw new CliContext.CliFailure("no such merchant: " + merchantId);
    }
  }

  @Command(name = "revoke", description = "Revoke a key now.")
  int revoke(@Option(names = "--merchant", required = true) String merchantId,
      @Option(names = "--id", required = true) String keyId, @Option(names = "--json") boolean json) {
    return AdminCli.withContext(context -> {
      JsonObject key = context.await(ApiKeys.revoke(context.pool, merchantId, null, keyId));
      context.audit("apikey revoke", merchantId, keyId);
      CliContext.print(key, json, keyId + " revoked");
      return 0;
    });
  }

  @Command(name = "roll", description = "Replace a key with a new one; the old one stops now or after --grace-seconds.")
  int roll(@Option(names = "--merchant", required = true) String merchantId,
      @Option(names = "--id", required = true) String keyId,
      @Option(names = "--grace-seconds", defaultValue = "0") int grace, @Option(names = "--json") boolean json) {
    return AdminCli.withContext(context -> {
      JsonObject key = context.await(context.pool.withTransaction(tx -> ApiKeys.roll(tx, merchantId, null, keyId, grace)));
      context.audit("apikey roll", merchantId, key.getString("id"));
      CliContext.print(key, json, key.getString("id") + "  " + key.getString("key") + "\n(replaces " + keyId + "; shown only now)");
      return 0;
    });
  }
}
