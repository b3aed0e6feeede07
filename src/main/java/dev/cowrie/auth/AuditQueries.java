package dev.cowrie.auth;

import dev.cowrie.common.Times;
import dev.cowrie.security.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Arrays;

/**
 * A merchant's own audit trail (GET /v1/audit_log), newest first: what its keys, its people and the
 * operator did to it, in the caller's mode (the operator's entries, which have none, in both).
 */
final class AuditQueries {
  /** Filters, all optional: actor id, action prefix (e.g. "POST /v1/refunds"), a time range; a cursor and limit. */
  record Filter(String actor, String action, OffsetDateTime since, OffsetDateTime until, long startingAfter, int limit) {
    JsonObject toJson() {
      return new JsonObject().put("actor", actor).put("action", action)
          .put("since", since == null ? null : since.toString()).put("until", until == null ? null : until.toString())
          .put("starting_after", startingAfter).put("limit", limit);
    }

    static Filter fromJson(JsonObject json) {
      return new Filter(json.getString("actor"), json.getString("action"),
          json.getString("since") == null ? null : OffsetDateTime.parse(json.getString("since")),
          json.getString("until") == null ? null : OffsetDateTime.parse(json.getString("until")),
          json.getLong("starting_after"), json.getInteger("limit"));
    }
  }

  static final String PREFIX = "aud_";
  private static final String LIST = """
      SELECT a.id, a.at, a.actor, u.username AS actor_name, a.mode, a.action, a.target, a.status, a.ip, a.user_agent, a.request_id
      FROM audit_log a LEFT JOIN users u ON u.id = a.actor
      WHERE a.merchant_id = $1 AND (a.mode = $2 OR a.mode IS NULL) AND a.id < $3
        AND ($4::text IS NULL OR a.actor = $4)
        AND ($5::text IS NULL OR starts_with(a.action, $5))
        AND ($6::timestamptz IS NULL OR a.at >= $6) AND ($7::timestamptz IS NULL OR a.at < $7)
      ORDER BY a.id DESC LIMIT $8""";

  private AuditQueries() {}

  static Future<JsonObject> list(SqlClient sql, Principal caller, Filter filter) {
    return sql.preparedQuery(LIST)
        .execute(Tuple.tuple(Arrays.asList(caller.merchantId(), caller.mode(), filter.startingAfter(), filter.actor(),
            filter.action(), filter.since(), filter.until(), filter.limit() + 1)))
        .map(rows -> {
          JsonArray data = new JsonArray();
          rows.forEach(row -> data.add(new JsonObject().put("id", PREFIX + row.getLong("id")).put("object", "audit_entry")
              .put("at", Times.rfc3339(row.getOffsetDateTime("at"))).put("actor", row.getString("actor"))
              .put("actor_name", row.getString("actor_name")).put("mode", row.getString("mode"))
              .put("action", row.getString("action")).put("target", row.getString("target"))
              .put("status", row.getInteger("status")).put("ip", row.getString("ip"))
              .put("user_agent", row.getString("user_agent")).put("request_id", row.getString("request_id"))));
          boolean more = data.size() > filter.limit();
          return new JsonObject().put("object", "list")
              .put("data", more ? new JsonArray(data.getList().subList(0, filter.limit())) : data).put("has_more", more);
        });
  }
}
