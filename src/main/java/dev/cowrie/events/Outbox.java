package dev.cowrie.events;

import dev.cowrie.common.Ids;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;


/**
 * Writes an event into the {@code events} table. Call it with the connection of the transaction
 * that makes the change, so the change and its event commit together (or not at all); the
 * EventsVerticle relays committed rows.
 */
public final class Outbox {
  private Outbox() {}

  /** Records {@code type} about {@code object}; answers the event's id. */
  public static Future<String> record(SqlClient tx, String merchantId, String mode, String type, JsonObject object) {
    String id = Ids.next("evt");
    JsonObject data = new JsonObject().put("object", object);
    return tx.preparedQuery("INSERT INTO events (id, merchant_id, mode, type, data) VALUES ($1, $2, $3, $4, $5)")
        .execute(Tuple.of(id, merchantId, mode, type, data))
        .onSuccess(inserted -> nudgeOnCommit(tx))
        .map(id);
  }

  /** Records one event of {@code type} per object, in list order, in one round trip (a batch of chat messages). */
  public static Future<Void> recordAll(SqlClient tx, String merchantId, String mode, String type, List<JsonObject> objects) {
    List<Tuple> rows = new ArrayList<>();
    for (JsonObject object : objects) {
      rows.add(Tuple.of(Ids.next("evt"), merchantId, mode, type, new JsonObject().put("object", object)));
    }
    return tx.preparedQuery("INSERT INTO events (id, merchant_id, mode, type, data) VALUES ($1, $2, $3, $4, $5)")
        .executeBatch(rows)
        .onSuccess(inserted -> nudgeOnCommit(tx))
        .mapEmpty();
  }

  /**
   * Wakes the relay the moment the caller's transaction commits, so live subscribers hear within
   * milliseconds instead of at the relay's next poll; callers need do nothing.
   */
  private static void nudgeOnCommit(SqlClient tx) {
    io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
    if (context != null && tx instanceof io.vertx.sqlclient.SqlConnection connection && connection.transaction() != null) {
      connection.transaction().completion().onSuccess(committed -> nudge(context.owner()));
    }
  }

  /** Wakes this node's relay now instead of at its next poll; call after the transaction committed. */
  public static void nudge(io.vertx.core.Vertx vertx) {
    // Local only: the relay listens with a localConsumer, which a clustered send would not find.
    vertx.eventBus().send(EventAddresses.NUDGE, null, new DeliveryOptions().setLocalOnly(true));
  }

  /**
   * The public shape of an event, the same in the API, webhooks and on Kafka: whose it is
   * ({@code merchant}) and which mode ({@code livemode}) at the top level, so a consumer of a
   * topic shared by test and live never has to look inside {@code data}.
   */
  public static JsonObject toJson(String id, String merchantId, String mode, String type, OffsetDateTime createdAt,
                                  JsonObject data) {
    return new JsonObject()
        .put("id", id)
        .put("object", "event")
        .put("type", type)
        .put("merchant", merchantId)
        .put("livemode", "live".equals(mode))
        .put("created_at", dev.cowrie.common.Times.rfc3339(createdAt))
        .put("data", data);
  }
}
