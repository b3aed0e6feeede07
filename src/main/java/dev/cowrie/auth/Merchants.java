package dev.cowrie.auth;

import dev.cowrie.common.Ids;
import dev.cowrie.common.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/** Merchants: created with their first test keys, shown once. Used by the AuthVerticle and the CLI. */
public final class Merchants {
  private Merchants() {}

  public static Future<JsonObject> create(Pool pool, String name, String email) {
    String id = Ids.next("mer");
    return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO merchants (id, name, email) VALUES ($1, $2, $3) RETURNING created_at")
        .execute(Tuple.of(id, name, email))
        .compose(rows -> Future.all(
                ApiKeys.create(tx, id, "test", "secret"),
                ApiKeys.create(tx, id, "test", "publishable"))
            .map(keys -> new JsonObject()
                .put("id", id)
                .put("object", "merchant")
                .put("name", name)
                .put("email", email)
                .put("created_at", Times.rfc3339(rows.iterator().next().getOffsetDateTime("created_at")))
                .put("api_keys", new JsonObject()
                    .put("secret", keys.<ApiKeys.NewKey>resultAt(0).plain())
                    .put("publishable", keys.<ApiKeys.NewKey>resultAt(1).plain())))));
  }

  public static Future<JsonArray> list(Pool pool, int limit) {
    return pool.preparedQuery("SELECT id, name, email, created_at FROM merchants ORDER BY id DESC LIMIT $1")
        .execute(Tuple.of(limit))
        .map(rows -> {
          JsonArray list = new JsonArray();
          for (Row row : rows) {
            list.add(new JsonObject().put("id", row.getString("id")).put("object", "merchant")
                .put("name", row.getString("name")).put("email", row.getString("email"))
                .put("created_at", Times.rfc3339(row.getOffsetDateTime("created_at"))));
          }
          return list;
        });
  }

  /** The public face of a merchant (its name on a checkout page). */
  public static Future<JsonObject> get(Pool pool, String id) {
    return pool.preparedQuery("SELECT id, name FROM merchants WHERE id = $1").execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(dev.cowrie.common.CowrieError.notFound("merchant", id))
            : Future.succeededFuture(new JsonObject().put("id", id).put("object", "merchant")
                .put("name", rows.iterator().next().getString("name"))));
  }
}
