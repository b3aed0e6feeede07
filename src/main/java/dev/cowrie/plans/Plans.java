package dev.cowrie.plans;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/** The operator's catalogue of plans (tenant-free). Used by the PlansVerticle and the CLI. */
public final class Plans {
  private static final String UNIQUE_VIOLATION = "23505";

  private Plans() {}

  /** Stores a plan validated by {@link Plan#fromRequest}; a taken name is a 409. */
  public static Future<Plan> create(SqlClient sql, JsonObject body) {
    Plan plan = Plan.fromRequest(Ids.next("plan"), body);
    JsonObject json = plan.toJson();
    return sql.preparedQuery("""
            INSERT INTO plans (id, name, fees, monthly_fee, limits) VALUES ($1, $2, $3, $4, $5) RETURNING *""")
        .execute(Tuple.of(plan.id(), plan.name(), json.getJsonObject("fees"), json.getJsonObject("monthly_fee"),
            json.getJsonObject("limits")))
        .map(rows -> Plan.fromRow(rows.iterator().next()))
        .recover(failure -> failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
            ? Future.failedFuture(new CowrieError(ErrorCode.RESOURCE_EXISTS, "A plan named " + plan.name() + " exists.", "name"))
            : Future.failedFuture(failure));
  }

  /** Plans by creation, newest first; archived ones only when asked. */
  public static Future<JsonArray> list(SqlClient sql, boolean archivedToo, int limit) {
    return sql.preparedQuery("SELECT * FROM plans WHERE $1 OR archived_at IS NULL ORDER BY created_at DESC, id DESC LIMIT $2")
        .execute(Tuple.of(archivedToo, limit))
        .map(rows -> {
          JsonArray plans = new JsonArray();
          rows.forEach(row -> plans.add(Plan.fromRow(row).toJson()));
          return plans;
        });
  }

  /** A plan by id or by name; 404 naming {@code param} otherwise. */
  public static Future<Plan> find(SqlClient sql, String idOrName, String param) {
    return sql.preparedQuery("SELECT * FROM plans WHERE id = $1 OR name = $1 LIMIT 1").execute(Tuple.of(idOrName))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new CowrieError(ErrorCode.RESOURCE_MISSING, "No such plan: " + idOrName, param))
            : Future.succeededFuture(Plan.fromRow(rows.iterator().next())));
  }

  /** Archives a plan: merchants on it stay, no new subscription may choose it. The default plan stays open. */
  public static Future<Plan> archive(SqlClient sql, String idOrName) {
    return find(sql, idOrName, "id").compose(plan -> {
      if (plan.id().equals(Plan.DEFAULT_ID)) {
        return Future.failedFuture(new CowrieError(ErrorCode.INVALID_STATE,
            "The default plan cannot be archived: every new merchant starts on it.", "id"));
      }
      return sql.preparedQuery("UPDATE plans SET archived_at = coalesce(archived_at, now()) WHERE id = $1 RETURNING *")
          .execute(Tuple.of(plan.id())).map(rows -> Plan.fromRow(rows.iterator().next()));
    });
  }
}
