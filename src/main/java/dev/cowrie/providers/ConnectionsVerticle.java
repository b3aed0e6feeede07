package dev.cowrie.providers;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.SecretBox;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.security.Principal;
import dev.cowrie.store.Database;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A merchant's provider connections (the provider_connections table): saving one (checked against
 * its adapter: mode, currencies, credentials) and listing them. Routing reads them for payments.
 */
public final class ConnectionsVerticle extends VerticleBase {
  private static final String SANDBOX = "sandbox";
  private final CowrieConfig config;
  private final ProviderRegistry registry;
  private final boolean sandboxEnabled;
  private Pool pool;
  private Connections connections;

  public ConnectionsVerticle(CowrieConfig config, ProviderRegistry registry) {
    this.config = config;
    this.registry = registry;
    this.sandboxEnabled = config.sandbox().enabled();
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, config);
    connections = new Connections(new SecretBox(config.masterKey()), config.publicUrl());
    return Future.all(List.of(
        Bus.serve(vertx, ProviderAddresses.SAVE_CONNECTION, this::save).completion(),
        Bus.serve(vertx, ProviderAddresses.LIST_CONNECTIONS, this::list).completion(),
        Bus.serve(vertx, ProviderAddresses.BREAKERS, query -> Future.succeededFuture(BreakerBoard.states(vertx, query)))
            .completion()));
  }

  @Override
  public Future<?> stop() {
    return pool.close();
  }

  private Future<JsonObject> save(JsonObject cmd) {
    Principal principal = Principal.fromJson(cmd.getJsonObject("principal"));
    String provider = cmd.getString("provider");
    ProviderAdapter adapter = registry.find(provider).orElseThrow(() -> Connections.unknownProvider(provider, registry.names()));
    if (!sandboxEnabled && provider.equals(SANDBOX)) {
      throw CowrieError.invalid("provider", "The sandbox provider is switched off on this deployment (sandbox.enabled=false).");
    }
    JsonObject given = cmd.getJsonObject("credentials");
    JsonObject prepared = given == null ? null : adapter.prepareCredentials(given);
    if (prepared != null) {
      requireSameMode(adapter, prepared, principal.mode());
    }
    List<String> currencies = new ArrayList<>();
    for (Object code : cmd.getJsonArray("currencies", new JsonArray())) {
      if (!adapter.currencies().isEmpty() && !adapter.currencies().contains((String) code)) {
        throw new CowrieError(ErrorCode.CURRENCY_NOT_SUPPORTED, provider + " does not take " + code + ".", "currencies");
      }
      currencies.add((String) code);
    }
    // No credentials given: the connection keeps its stored ones (enable/disable or reorder without re-entering secrets).
    return Tenancy.transaction(pool, principal.merchantId(), sql -> (prepared != null ? Future.succeededFuture(prepared)
            : connections.storedCredentials(sql, principal.merchantId(), principal.mode(), provider).map(stored -> {
              if (stored == null) {
                // A first connection needs its credentials: the adapter names the missing ones.
                return adapter.prepareCredentials(new JsonObject());
              }
              return stored;
            }))
        .compose(credentials -> connections.save(sql, principal.merchantId(),
        principal.mode(), provider, credentials, currencies,
        Objects.requireNonNullElse(cmd.getInteger("priority"), 0),
        Objects.requireNonNullElse(cmd.getBoolean("enabled"), true), cmd.getString("api_base"))));
  }

  /** Mode is a wall: live mode takes no sandbox and no test-mode keys, test mode no live keys. */
  private static void requireSameMode(ProviderAdapter adapter, JsonObject credentials, String mode) {
    if ("live".equals(mode) && !adapter.movesRealMoney()) {
      throw CowrieError.invalid("provider", adapter.name() + " moves no real money, so live mode cannot connect it;"
          + " connect it with a test-mode key.");
    }
    adapter.credentialsMode(credentials).filter(keyMode -> !keyMode.equals(mode)).ifPresent(keyMode -> {
      throw CowrieError.invalid("credentials", "These are " + keyMode + "-mode " + adapter.name() + " credentials; a "
          + mode + "-mode connection takes only " + mode + "-mode keys.");
    });
  }

  private Future<JsonObject> list(JsonObject cmd) {
    Principal principal = Principal.fromJson(cmd.getJsonObject("principal"));
    String merchantId = principal.merchantId();
    String mode = principal.mode();
    return Tenancy.transaction(pool, merchantId, sql -> connections.list(sql, merchantId, mode))
        .map(list -> new JsonObject().put("object", "list").put("data", list).put("has_more", false));
  }
}
