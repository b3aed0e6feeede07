package dev.cowrie.providers;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Ids;
import dev.cowrie.common.SecretBox;
import dev.cowrie.common.Times;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Provider connections: stored with encrypted credentials, read back decrypted only by the provider layer. */
public final class Connections {
  private final SecretBox box;
  private final String publicUrl;

  public Connections(SecretBox box, String publicUrl) {
    this.box = box;
    this.publicUrl = publicUrl;
  }

  /** Creates or replaces the merchant's connection to {@code provider} (one per merchant, mode and provider). */
  public Future<JsonObject> save(SqlClient sql, String merchantId, String mode, String provider, JsonObject credentials,
      List<String> currencies, int priority, boolean enabled, String apiBase) {
    String newId = Ids.next("conn");
    return sql.preparedQuery("SELECT id FROM provider_connections WHERE merchant_id = $1 AND mode = $2 AND provider = $3")
        .execute(Tuple.of(merchantId, mode, provider))
        .compose(rows -> {
          String id = rows.size() == 0 ? newId : rows.iterator().next().getString("id");
          Buffer sealed = Buffer.buffer(box.seal(credentials.encode().getBytes(StandardCharsets.UTF_8), id));
          return sql.preparedQuery("""
                  INSERT INTO provider_connections (id, merchant_id, mode, provider, credentials, currencies, priority, enabled, api_base)
                  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                  ON CONFLICT (merchant_id, mode, provider) DO UPDATE SET credentials = EXCLUDED.credentials,
                    currencies = EXCLUDED.currencies, priority = EXCLUDED.priority, enabled = EXCLUDED.enabled,
                    api_base = EXCLUDED.api_base, flagged_at = NULL, flag_reason = NULL, updated_at = now()
                  RETURNING *""")
              .execute(Tuple.tuple(java.util.Arrays.asList(id, merchantId, mode, provider, sealed,
                  currencies.toArray(new String[0]), priority, enabled, apiBase)));
        })
        .map(rows -> toJson(rows.iterator().next(), credentials));
  }

  /** The stored credentials of the merchant's connection to {@code provider} in {@code mode}, null when there is none. */
  public Future<JsonObject> storedCredentials(SqlClient sql, String merchantId, String mode, String provider) {
    return sql.preparedQuery("SELECT id, credentials FROM provider_connections WHERE merchant_id = $1 AND mode = $2 AND provider = $3")
        .execute(Tuple.of(merchantId, mode, provider))
        .map(rows -> rows.size() == 0 ? null : decrypt(rows.iterator().next()));
  }

  public Future<JsonArray> list(SqlClient sql, String merchantId, String mode) {
    return sql.preparedQuery("SELECT * FROM provider_connections WHERE merchant_id = $1 AND mode = $2 ORDER BY priority DESC, id LIMIT 100")
        .execute(Tuple.of(merchantId, mode))
        .map(rows -> {
          JsonArray list = new JsonArray();
          rows.forEach(row -> list.add(toJson(row, decrypt(row))));
          return list;
        });
  }

  /** The connection with decrypted credentials; 404 when it does not exist. */
  public Future<Connection> load(SqlClient sql, String connectionId) {
    return sql.preparedQuery("SELECT * FROM provider_connections WHERE id = $1").execute(Tuple.of(connectionId))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(CowrieError.notFound("provider connection", connectionId))
            : Future.succeededFuture(toConnection(rows.iterator().next())));
  }

  public Connection toConnection(Row row) {
    return new Connection(row.getString("id"), row.getString("merchant_id"), row.getString("mode"),
        row.getString("provider"), decrypt(row), row.getString("api_base"));
  }

  private JsonObject decrypt(Row row) {
    byte[] plain = box.open(row.getBuffer("credentials").getBytes(), row.getString("id"));
    return new JsonObject(new String(plain, StandardCharsets.UTF_8));
  }

  public Future<Void> flag(SqlClient sql, String connectionId, String reason) {
    return sql.preparedQuery("UPDATE provider_connections SET flagged_at = now(), flag_reason = $2 WHERE id = $1")
        .execute(Tuple.of(connectionId, reason)).mapEmpty();
  }

  /** The public view: secrets are write-only, so only their names are shown. */
  private JsonObject toJson(Row row, JsonObject credentials) {
    String id = row.getString("id");
    return new JsonObject()
        .put("id", id)
        .put("object", "provider_connection")
        .put("provider", row.getString("provider"))
        .put("mode", row.getString("mode"))
        .put("currencies", new JsonArray(List.of(row.getArrayOfStrings("currencies"))))
        .put("priority", row.getInteger("priority"))
        .put("enabled", row.getBoolean("enabled"))
        .put("api_base", row.getString("api_base"))
        .put("callback_url", publicUrl + "/v1/callbacks/" + id)
        .put("credentials_set", new JsonArray(List.copyOf(credentials.fieldNames())))
        .put("flagged", row.getOffsetDateTime("flagged_at") != null)
        .put("flag_reason", row.getString("flag_reason"))
        .put("created_at", Times.rfc3339(row.getOffsetDateTime("created_at")))
        .put("updated_at", Times.rfc3339(row.getOffsetDateTime("updated_at")));
  }

  public static CowrieError unknownProvider(String provider, java.util.Set<String> known) {
    return new CowrieError(ErrorCode.PARAMETER_INVALID,
        "Unknown provider '" + provider + "'; known providers: " + String.join(", ", known) + ".", "provider");
  }
}
