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
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Which connections may take a payment: enabled, unflagged, taking the currency, by priority. */
final class Routing {
  private static final String SANDBOX = "sandbox";
  private final Pool pool;
  private final Connections connections;
  private final ProviderRegistry registry;
  private final boolean sandboxEnabled;

  Routing(Pool pool, Connections connections, ProviderRegistry registry, boolean sandboxEnabled) {
    this.pool = pool;
    this.connections = connections;
    this.registry = registry;
    this.sandboxEnabled = sandboxEnabled;
  }

  /**
   * The eligible connections in routing order, or a clear error saying why there are none. A
   * provider that needs a field the payment lacks ({@code present} names the fields it has) is
   * skipped, and is a 400 naming the field when the merchant chose it.
   */
  Future<List<Row>> eligible(String merchantId, String mode, String provider, String currency, Set<String> present) {
    return Tenancy.transaction(pool, merchantId, sql -> eligible(sql, merchantId, mode, provider, currency, present));
  }

  /** {@link #eligible} inside the caller's transaction (a payment's creation reads them in its first one). */
  Future<List<Row>> eligible(SqlClient sql, String merchantId, String mode, String provider, String currency, Set<String> present) {
    return sql.preparedQuery("""
            SELECT id, provider, currencies, enabled, flagged_at FROM provider_connections
            WHERE merchant_id = $1 AND mode = $2 AND ($3::text IS NULL OR provider = $3)
            ORDER BY priority DESC, id LIMIT 20""")
        .execute(Tuple.of(merchantId, mode, provider))
        .compose(rows -> {
          List<Row> eligible = new ArrayList<>();
          boolean anyEnabled = false;
          String missing = null;
          for (Row row : rows) {
            boolean usable = row.getBoolean("enabled") && row.getOffsetDateTime("flagged_at") == null
                && (sandboxEnabled || !row.getString("provider").equals(SANDBOX));
            anyEnabled |= usable;
            String lacking = usable && takes(row, currency) ? lacking(row, present) : "";
            if (lacking == null) {
              eligible.add(row);
            } else if (!lacking.isEmpty() && missing == null) {
              missing = lacking;
            }
          }
          if (!eligible.isEmpty()) {
            return Future.succeededFuture(eligible);
          }
          if (missing != null) {
            return Future.failedFuture(new CowrieError(ErrorCode.PARAMETER_MISSING, (provider == null
                ? "No enabled provider can take this payment without " : provider + " needs ") + missing + ".", missing));
          }
          String scope = provider == null ? "any provider" : provider;
          return Future.failedFuture(anyEnabled
              ? new CowrieError(ErrorCode.CURRENCY_NOT_SUPPORTED, "No enabled connection to " + scope + " takes " + currency + ".", "currency")
              : new CowrieError(ErrorCode.NO_ELIGIBLE_PROVIDER, "There is no enabled connection to " + scope
                  + " in " + mode + " mode; set one up with PUT /v1/provider_connections/{provider}.", "provider"));
        });
  }

  /** The optional payment fields a provider may need, named as in the API, that this payment has. */
  static Set<String> presentFields(JsonObject cmd) {
    JsonObject customer = cmd.getJsonObject("customer");
    return customer != null && customer.getString("email") != null ? Set.of("customer.email") : Set.of();
  }

  /** The first field the connection's provider needs and the payment lacks, or null. */
  private String lacking(Row connection, Set<String> present) {
    return registry.find(connection.getString("provider")).map(ProviderAdapter::requiredPaymentFields).orElse(Set.of())
        .stream().filter(field -> !present.contains(field)).sorted().findFirst().orElse(null);
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
    if (!sandboxEnabled && provider.equals(SANDBOX)) {
      throw CowrieError.invalid("provider", "The sandbox provider is switched off on this deployment (sandbox.enabled=false).");
    }
    JsonObject credentials = adapter.prepareCredentials(cmd.getJsonObject("credentials", new JsonObject()));
    requireSameMode(adapter, credentials, principal.mode());
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

  Future<JsonObject> list(String merchantId, String mode) {
    return Tenancy.transaction(pool, merchantId, sql -> connections.list(sql, merchantId, mode))
        .map(list -> new JsonObject().put("object", "list").put("data", list).put("has_more", false));
  }
}
