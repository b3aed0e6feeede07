package dev.cowrie.recurring;

import static dev.cowrie.common.Times.rfc3339;

import dev.cowrie.common.Ids;
import dev.cowrie.http.Page;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;

/** A merchant's customers and the payment methods their providers keep for them. */
final class Customers {
  private static final String INSERT = """
      INSERT INTO customers (id, merchant_id, mode, email, name, test_clock, metadata) VALUES ($1, $2, $3, $4, $5, $6, $7)
      RETURNING *""";
  private static final String FIND = "SELECT * FROM customers WHERE merchant_id = $1 AND mode = $2 AND id = $3";
  private static final String LIST = """
      SELECT * FROM customers WHERE merchant_id = $1 AND mode = $2 AND id < $3 ORDER BY id DESC LIMIT $4""";
  private static final String METHODS = """
      SELECT * FROM customer_payment_methods WHERE merchant_id = $1 AND customer_id = $2 ORDER BY id LIMIT 20""";
  // A method saved twice (the same token on the same connection) stays one; the newest is the default.
  private static final String SAVE_METHOD = """
      INSERT INTO customer_payment_methods (id, merchant_id, mode, customer_id, provider, connection_id, token_sealed,
        token_hash, provider_customer, email, brand, last4, source_payment)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
      ON CONFLICT (customer_id, connection_id, token_hash) DO UPDATE SET brand = EXCLUDED.brand RETURNING id""";
  private static final String SET_DEFAULT = "UPDATE customers SET default_payment_method = $3 WHERE merchant_id = $1 AND id = $2";
  /** The customer's default method, as a payment's creation command names it. */
  static final String DEFAULT_METHOD = """
      SELECT m.* FROM customers c JOIN customer_payment_methods m ON m.id = c.default_payment_method
      WHERE c.merchant_id = $1 AND c.id = $2""";

  private Customers() {}

  static Future<Row> create(SqlClient sql, String merchantId, String mode, JsonObject cmd) {
    return sql.preparedQuery(INSERT).execute(Tuple.tuple(Arrays.asList(Ids.next("cus"), merchantId, mode,
            cmd.getString("email"), cmd.getString("name"), cmd.getString("test_clock"), cmd.getJsonObject("metadata"))))
        .map(rows -> rows.iterator().next());
  }

  static Future<Row> find(SqlClient sql, String merchantId, String mode, String id) {
    return sql.preparedQuery(FIND).execute(Tuple.of(merchantId, mode, id)).compose(rows -> Lists.one(rows, "customer", id));
  }

  /** A customer with its saved payment methods. */
  static Future<JsonObject> render(SqlClient sql, Row customer) {
    return sql.preparedQuery(METHODS).execute(Tuple.of(customer.getString("merchant_id"), customer.getString("id"))).map(rows -> {
      JsonArray methods = new JsonArray();
      rows.forEach(row -> methods.add(methodJson(row)));
      return toJson(customer).put("payment_methods", methods);
    });
  }

  static Future<JsonObject> list(SqlClient sql, String merchantId, String mode, Page page) {
    return Lists.page(sql, LIST, merchantId, mode, page, Customers::toJson);
  }

  /** Keeps a method the provider saved and makes it the customer's default. */
  static Future<Void> saveMethod(SqlClient sql, Row customer, JsonObject saved, String paymentId, SavedTokens tokens) {
    String merchantId = customer.getString("merchant_id");
    String connectionId = saved.getString("connection_id");
    String token = saved.getString("token");
    return sql.preparedQuery(SAVE_METHOD).execute(Tuple.tuple(Arrays.asList(Ids.next("pm"), merchantId,
            customer.getString("mode"), customer.getString("id"), saved.getString("provider"), saved.getString("connection_id"),
            tokens.seal(token, connectionId), SavedTokens.hash(token), saved.getString("provider_customer"), saved.getString("email"), saved.getString("brand"),
            saved.getString("last4"), paymentId)))
        .compose(rows -> sql.preparedQuery(SET_DEFAULT).execute(Tuple.of(merchantId, customer.getString("id"),
            rows.iterator().next().getString("id"))))
        .mapEmpty();
  }

  static JsonObject toJson(Row row) {
    return new JsonObject().put("id", row.getString("id")).put("object", "customer").put("email", row.getString("email"))
        .put("name", row.getString("name")).put("test_clock", row.getString("test_clock"))
        .put("default_payment_method", row.getString("default_payment_method"))
        .put("metadata", row.getJsonObject("metadata") == null ? new JsonObject() : row.getJsonObject("metadata"))
        .put("livemode", "live".equals(row.getString("mode"))).put("created_at", rfc3339(row.getOffsetDateTime("created_at")));
  }

  /** A saved method as the merchant sees it: never its token. */
  static JsonObject methodJson(Row row) {
    return new JsonObject().put("id", row.getString("id")).put("object", "payment_method").put("provider", row.getString("provider"))
        .put("connection", row.getString("connection_id")).put("brand", row.getString("brand")).put("last4", row.getString("last4"))
        .put("created_at", rfc3339(row.getOffsetDateTime("created_at")));
  }
}
