package dev.cowrie.checkout;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Times;
import dev.cowrie.http.Page;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;

/** SQL of payment_links, the tenant and mode in every WHERE (but the public lookup by slug), and their JSON. */
final class PaymentLinks {
  static final String INSERT = """
      INSERT INTO payment_links (id, merchant_id, mode, slug, currency, amount, amount_min, amount_max, description,
        return_url, active, idempotency_key)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
      ON CONFLICT (merchant_id, mode, idempotency_key) DO NOTHING RETURNING *""";
  static final String BY_KEY = "SELECT * FROM payment_links WHERE merchant_id = $1 AND mode = $2 AND idempotency_key = $3";
  static final String BY_ID = "SELECT * FROM payment_links WHERE merchant_id = $1 AND mode = $2 AND id = $3";
  static final String BY_SLUG = "SELECT * FROM payment_links WHERE slug = $1";
  static final String LIST = """
      SELECT * FROM payment_links WHERE merchant_id = $1 AND mode = $2 AND ($3::boolean IS NULL OR active = $3) AND id < $4
      ORDER BY id DESC LIMIT $5""";
  static final String UPDATE = """
      UPDATE payment_links SET active = coalesce($4, active), description = coalesce($5, description), updated_at = now()
      WHERE merchant_id = $1 AND mode = $2 AND id = $3 RETURNING *""";

  private PaymentLinks() {}

  record New(String id, String merchantId, String mode, String slug, String currency, Long amount, Long amountMin,
      Long amountMax, String description, String returnUrl, boolean active, String idempotencyKey) {
    Tuple tuple() {
      return Tuple.tuple(Arrays.asList(id, merchantId, mode, slug, currency, amount, amountMin, amountMax, description,
          returnUrl, active, idempotencyKey));
    }
  }

  static Future<Row> one(SqlClient sql, String query, Tuple params, String id) {
    return sql.preparedQuery(query).execute(params).compose(rows -> rows.size() == 0
        ? Future.failedFuture(CowrieError.notFound("payment_link", id)) : Future.succeededFuture(rows.iterator().next()));
  }

  static Future<JsonObject> list(SqlClient sql, String merchantId, String mode, Boolean active, Page page, String publicUrl) {
    return sql.preparedQuery(LIST).execute(Tuple.of(merchantId, mode, active, page.cursor(), page.limit() + 1)).map(rows -> {
      JsonArray data = new JsonArray();
      rows.forEach(row -> data.add(json(row, publicUrl)));
      return page.envelope(data);
    });
  }

  static JsonObject json(Row row, String publicUrl) {
    String url = publicUrl + "/l/" + row.getString("slug");
    String api = publicUrl + "/v1/payment_links/" + row.getString("id");
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("object", "payment_link")
        .put("url", url)
        .put("slug", row.getString("slug"))
        .put("active", row.getBoolean("active"))
        .put("currency", row.getString("currency"))
        .put("amount", row.getLong("amount"))
        .put("amount_min", row.getLong("amount_min"))
        .put("amount_max", row.getLong("amount_max"))
        .put("customer_chooses_amount", row.getLong("amount") == null)
        .put("description", row.getString("description"))
        .put("return_url", row.getString("return_url"))
        .put("qr_png_url", api + "/qr.png")
        .put("qr_svg_url", api + "/qr.svg")
        .put("livemode", "live".equals(row.getString("mode")))
        .put("created_at", Times.rfc3339(row.getOffsetDateTime("created_at")))
        .put("updated_at", Times.rfc3339(row.getOffsetDateTime("updated_at")));
  }
}
