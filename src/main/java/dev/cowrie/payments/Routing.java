package dev.cowrie.payments;

import dev.cowrie.auth.Principal;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.providers.Connections;
import dev.cowrie.providers.ProviderAdapter;
import dev.cowrie.providers.ProviderRegistry;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Which connections may take a payment: enabled, unflagged, taking the currency, by priority. */
final class Routing {
  private final Pool pool;
  private final Connections connections;
  private final ProviderRegistry registry;

  Routing(Pool pool, Connections connections, ProviderRegistry registry) {
    this.pool = pool;
    this.connections = connections;
    this.registry = registry;
  }

  /** The eligible connections in routing order, or a clear error saying why there are none. */
  Future<List<Row>> eligible(String merchantId, String mode, String provider, String currency) {
    return Tenancy.transaction(pool, merchantId, sql -> sql.preparedQuery("""
            SELECT id, provider, currencies, enabled, flagged_at FROM provider_connections
            WHERE merchant_id = $1 AND mode = $2 AND ($3::text IS NULL OR provider = $3)
            ORDER BY priority DESC, id LIMIT 20""")
        .execute(Tuple.of(merchantId, mode, provider)))
        .compose(rows -> {
          List<Row> eligible = new ArrayList<>();
          boolean anyEnabled = false;
          for (Row row : rows) {
            boolean usable = row.getBoolean("enabled") && row.getOffsetDateTime("flagged_at") == null;
            anyEnabled |= usable;
            if (usable && takes(row, currency)) {
              eligible.add(row);
            }
          }
          if (!eligible.isEmpty()) {
            return Future.succeededFuture(eligible);
          }
          String scope = provider == null ? "any provider" : provider;
          return Future.failedFuture(anyEnabled
              ? new CowrieError(ErrorCode.CURRENCY_NOT_SUPPORTED, "No enabled connection to " + scope + " takes " + currency + ".", "currency")
              : new CowrieError(ErrorCode.NO_ELIGIBLE_PROVIDER, "There is no enabled connection to " + scope
                  + " in " + mode + " mode; set one up with PUT /v1/provider_connections/{provider}.", "provider"));
        });
  }

  private boolean takes(Row connection, String currency) {
    String[] configured = connection.getArrayOfStrings("currencies");
    boolean configuredOk = configured.length == 0 || List.of(configured).contains(currency);
    ProviderAdapter adapter = registry.find(connection.getString("provider")).orElse(null);
    return adapter != null && configuredOk && (adapter.currencies().isEmpty() || adapter.currencies().contains(currency));
  }

  Future<JsonObject> save(JsonObject cmd) {
    Principal principal = Principal.fromJson(cmd.getJsonObject("principal"));
    String provider = cmd.getString("provider");
    ProviderAdapter adapter = registry.find(provider).orElseThrow(() -> Connections.unknownProvider(provider, registry.names()));
    JsonObject credentials = adapter.prepareCredentials(cmd.getJsonObject("credentials", new JsonObject()));
    List<String> currencies = new ArrayList<>();
    for (Object code : cmd.getJsonArray("currencies", new JsonArray())) {
      if (!adapter.currencies().isEmpty() && !adapter.currencies().contains((String) code)) {
        throw new CowrieError(ErrorCode.CURRENCY_NOT_SUPPORTED, provider + " does not take " + code + ".", "currencies");
      }
      currencies.add((String) code);
    }
    return Tenancy.transaction(pool, principal.merchantId(), sql -> connections.save(sql, principal.merchantId(),
        principal.mode(), provider, credentials, currencies,
        java.util.Objects.requireNonNullElse(cmd.getInteger("priority"), 0),
        java.util.Objects.requireNonNullElse(cmd.getBoolean("enabled"), true), cmd.getString("api_base")));
  }

  Future<JsonObject> list(String merchantId, String mode) {
    return Tenancy.transaction(pool, merchantId, sql -> connections.list(sql, merchantId, mode))
        .map(list -> new JsonObject().put("object", "list").put("data", list).put("has_more", false));
  }
}
