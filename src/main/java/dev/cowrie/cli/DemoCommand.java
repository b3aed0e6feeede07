package dev.cowrie.cli;

import dev.cowrie.auth.ApiKeys;
import dev.cowrie.auth.Merchants;
import dev.cowrie.common.Secrets;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cowrie admin demo}: makes sure the demo merchant exists, for {@code scripts/cowrie up}.
 * Keys are shown once by the gateway, so the first run keeps them in a local file and later runs
 * print them from there; if the file is gone or its keys no longer work, fresh test keys are
 * minted for the existing merchant rather than a second demo merchant being created.
 */
@Command(name = "demo", description = "Ensure the demo merchant \"Demo Shop\" exists and print its test keys.",
    mixinStandardHelpOptions = true)
final class DemoCommand implements Callable<Integer> {
  static final String NAME = "Demo Shop";
  static final String EMAIL = "demo@example.com";

  @Option(names = "--file", defaultValue = ".cowrie/demo.json", description = "where the demo keys are kept (default ${DEFAULT-VALUE})")
  Path file;

  @Option(names = "--json", description = "machine-readable output")
  boolean json;

  @Override
  public Integer call() {
    return AdminCli.withContext(context -> {
      JsonObject demo = ensureDemoMerchant(context);
      enableDemoProviders(context, demo.getString("id"));
      CliContext.print(demo, json, String.join("\n",
          "demo merchant:   " + demo.getString("id") + "  (" + NAME + ")",
          "secret key:      " + demo.getString("secret_key"),
          "publishable key: " + demo.getString("publishable_key"),
          "kept in:         " + file.toAbsolutePath()));
      return 0;
    });
  }

  /**
   * The one place that sets up what the demo merchant needs beyond keys (e.g. the sandbox
   * provider connection). Runs on every {@code up}, so whatever it does must be idempotent.
   */
  static void enableDemoProviders(CliContext context, String merchantId) {
    var existing = context.await(context.pool.preparedQuery(
            "SELECT 1 FROM provider_connections WHERE merchant_id = $1 AND mode = 'test' AND provider = 'sandbox'")
        .execute(Tuple.of(merchantId)));
    if (existing.size() > 0) {
      return; // keep its secret: callbacks already in flight are signed with it
    }
    var connections = new dev.cowrie.providers.Connections(new dev.cowrie.common.SecretBox(context.config.masterKey()),
        context.config.publicUrl());
    JsonObject credentials = new dev.cowrie.providers.sandbox.SandboxAdapter().prepareCredentials(new JsonObject());
    JsonObject connection = context.await(connections.save(context.pool, merchantId, "test", "sandbox", credentials,
        java.util.List.of(), 0, true, null));
    context.audit("provider connection sandbox", merchantId, connection.getString("id"));
  }

  private JsonObject ensureDemoMerchant(CliContext context) {
    JsonObject stored = readStored();
    if (stored != null && keysStillWork(context, stored)) {
      return stored.put("created", false);
    }
    var existing = context.await(context.pool.preparedQuery("SELECT id FROM merchants WHERE name = $1 ORDER BY id LIMIT 1")
        .execute(Tuple.of(NAME)));
    JsonObject demo;
    if (existing.size() == 0) {
      JsonObject merchant = context.await(Merchants.create(context.pool, NAME, EMAIL, Instant.now()));
      context.audit("demo create", merchant.getString("id"), merchant.getString("id"));
      demo = new JsonObject().put("id", merchant.getString("id"))
          .put("secret_key", merchant.getJsonObject("api_keys").getString("secret"))
          .put("publishable_key", merchant.getJsonObject("api_keys").getString("publishable"));
    } else {
      String id = existing.iterator().next().getString("id");
      ApiKeys.NewKey secret = context.await(ApiKeys.create(context.pool, id, "test", "secret"));
      ApiKeys.NewKey publishable = context.await(ApiKeys.create(context.pool, id, "test", "publishable"));
      context.audit("demo keys", id, secret.id());
      demo = new JsonObject().put("id", id).put("secret_key", secret.plain()).put("publishable_key", publishable.plain());
    }
    demo.put("name", NAME);
    write(demo);
    return demo.put("created", true);
  }

  /** The stored keys belong to a merchant of this database and are neither revoked nor expired. */
  private static boolean keysStillWork(CliContext context, JsonObject stored) {
    if (stored.getString("id") == null || stored.getString("secret_key") == null || stored.getString("publishable_key") == null) {
      return false;
    }
    var rows = context.await(context.pool.preparedQuery("""
            SELECT count(*) AS n FROM api_keys WHERE merchant_id = $1 AND key_hash IN ($2, $3)
              AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()) LIMIT 1""")
        .execute(Tuple.of(stored.getString("id"), Buffer.buffer(Secrets.sha256(stored.getString("secret_key"))),
            Buffer.buffer(Secrets.sha256(stored.getString("publishable_key"))))));
    return rows.iterator().next().getLong("n") == 2;
  }

  private JsonObject readStored() {
    try {
      return Files.exists(file) ? new JsonObject(Files.readString(file)) : null;
    } catch (IOException | io.vertx.core.json.DecodeException unreadable) {
      return null; // a damaged file is replaced with fresh keys
    }
  }

  /** Written owner-only: the file holds secret keys. */
  private void write(JsonObject demo) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path temp = Files.createTempFile(parent, "demo", ".json",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(temp, demo.encodePrettily() + "\n");
      Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
