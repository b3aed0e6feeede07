package dev.cowrie.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;

/**
 * The audit row of a mutation, written on the caller's connection: inside the mutation's own
 * transaction where a route records its request itself (see {@code http.RequestRecord}), so the
 * row and the change it describes commit together.
 */
public final class AuditLog {
  private static final int USER_AGENT_CHARS_MAX = 512;
  private static final String INSERT = """
      INSERT INTO audit_log (actor, merchant_id, mode, action, target, status, ip, user_agent, request_id)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""";

  private AuditLog() {}

  /** {@code entry}: actor, merchant_id, mode, action, target, status, ip, user_agent, request_id. */
  public static Future<Void> insert(SqlClient sql, JsonObject entry) {
    String userAgent = entry.getString("user_agent");
    return sql.preparedQuery(INSERT)
        .execute(Tuple.tuple(Arrays.asList(entry.getString("actor"), entry.getString("merchant_id"),
            entry.getString("mode"), entry.getString("action"), entry.getString("target"), entry.getInteger("status"),
            entry.getString("ip"),
            userAgent == null || userAgent.length() <= USER_AGENT_CHARS_MAX ? userAgent : userAgent.substring(0, USER_AGENT_CHARS_MAX),
            entry.getString("request_id"))))
        .mapEmpty();
  }
}
