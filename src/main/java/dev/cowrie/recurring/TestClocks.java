package dev.cowrie.recurring;

import static dev.cowrie.common.Times.rfc3339;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Ids;
import dev.cowrie.http.Page;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * Test clocks (test mode only): a merchant's own time. Customers and subscriptions attached to one
 * renew, try again and end at its {@code frozen_time}; advancing it moves that time forward and
 * leaves the clock {@code advancing} until the scheduler has done everything now due.
 */
final class TestClocks {
  private static final String INSERT = """
      INSERT INTO test_clocks (id, merchant_id, mode, name, frozen_time) VALUES ($1, $2, $3, $4, $5) RETURNING *""";
  private static final String FIND = "SELECT * FROM test_clocks WHERE merchant_id = $1 AND mode = $2 AND id = $3";
  static final String LIST = """
      SELECT * FROM test_clocks WHERE merchant_id = $1 AND mode = $2 AND id < $3 ORDER BY id DESC LIMIT $4""";
  private static final String ADVANCE = """
      UPDATE test_clocks SET frozen_time = $4, status = 'advancing' WHERE merchant_id = $1 AND mode = $2 AND id = $3
      RETURNING *""";

  private TestClocks() {}

  static Future<Row> create(SqlClient sql, String merchantId, String mode, String name, OffsetDateTime frozenTime) {
    return sql.preparedQuery(INSERT).execute(Tuple.tuple(Arrays.asList(Ids.next("clock"), merchantId, mode, name, frozenTime)))
        .map(rows -> rows.iterator().next());
  }

  /** The clock, 404 when another merchant's or mode's (a live key never sees one). */
  static Future<Row> find(SqlClient sql, String merchantId, String mode, String id, boolean forUpdate) {
    return sql.preparedQuery(FIND + (forUpdate ? " FOR UPDATE" : "")).execute(Tuple.of(merchantId, mode, id))
        .compose(rows -> Lists.one(rows, "test_clock", id));
  }

  /** Moves the clock forward (never back, never while it is still catching up). */
  static Future<Row> advance(SqlClient sql, String merchantId, String mode, String id, OffsetDateTime to) {
    return find(sql, merchantId, mode, id, true).compose(clock -> {
      OffsetDateTime frozen = clock.getOffsetDateTime("frozen_time");
      if (!to.isAfter(frozen)) {
        return Future.failedFuture(CowrieError.invalid("to", "to must be after the clock's frozen_time ("
            + rfc3339(frozen) + "): a test clock only moves forward."));
      }
      if ("advancing".equals(clock.getString("status"))) {
        return Future.failedFuture(new CowrieError(ErrorCode.INVALID_STATE,
            "This test clock is still advancing; wait until its status is ready.", "id"));
      }
      return sql.preparedQuery(ADVANCE).execute(Tuple.of(merchantId, mode, id, to)).map(rows -> rows.iterator().next());
    });
  }

  /** The time on {@code clockId}, or the real time for objects on no clock. */
  static Future<OffsetDateTime> now(SqlClient sql, String merchantId, String mode, String clockId, Clock real) {
    return clockId == null ? Future.succeededFuture(OffsetDateTime.ofInstant(real.instant(), ZoneOffset.UTC))
        : find(sql, merchantId, mode, clockId, false).map(clock -> clock.getOffsetDateTime("frozen_time"));
  }

  static JsonObject toJson(Row row) {
    return new JsonObject().put("id", row.getString("id")).put("object", "test_clock").put("name", row.getString("name"))
        .put("frozen_time", rfc3339(row.getOffsetDateTime("frozen_time"))).put("status", row.getString("status"))
        .put("livemode", false).put("created_at", rfc3339(row.getOffsetDateTime("created_at")));
  }

  static Future<JsonObject> list(SqlClient sql, String merchantId, String mode, Page page) {
    return Lists.page(sql, LIST, merchantId, mode, page, TestClocks::toJson);
  }
}
