package dev.cowrie.providers;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Which of a merchant's provider connections may take a payment: enabled, unflagged, taking the currency, by priority. */
public final class Routing {
  private static final String SANDBOX = "sandbox";
  private static final String CANDIDATES = """
      SELECT id, provider, currencies, enabled, flagged_at FROM provider_connections
      WHERE merchant_id = $1 AND mode = $2 AND ($3::text IS NULL OR provider = $3)
      ORDER BY priority DESC, id LIMIT $4""";
  private final Pool pool;
  private final ProviderRegistry registry;
  private final boolean sandboxEnabled;
  private final int routesTriedMax;

  /** {@code routesTriedMax}: how many connections one creation may try (see config/Timeouts). */
  public Routing(Pool pool, ProviderRegistry registry, boolean sandboxEnabled, int routesTriedMax) {
    this.pool = pool;
    this.routesTriedMax = routesTriedMax;
    this.registry = registry;
    this.sandboxEnabled = sandboxEnabled;
  }

  /**
   * The eligible connections in routing order, or a clear error saying why there are none. A
   * provider that needs a field the payment lacks ({@code present} names the fields it has) is
   * skipped, and is a 400 naming the field when the merchant chose it.
   */
  public Future<List<Row>> eligible(String merchantId, String mode, String provider, String currency, Set<String> present) {
    return Tenancy.transaction(pool, merchantId, sql -> eligible(sql, merchantId, mode, provider, currency, present));
  }

  /** {@link #eligible} inside the caller's transaction (a payment's creation reads them in its first one). */
  public Future<List<Row>> eligible(SqlClient sql, String merchantId, String mode, String provider, String currency,
      Set<String> present) {
    return sql.preparedQuery(CANDIDATES)
        .execute(Tuple.of(merchantId, mode, provider, routesTriedMax))
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
  public static Set<String> presentFields(String customerEmail) {
    return customerEmail != null ? Set.of("customer.email") : Set.of();
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
}
