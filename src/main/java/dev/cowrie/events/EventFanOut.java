package dev.cowrie.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import java.util.List;

/**
 * What the outbox relay owes each batch besides the live stream: webhooks implements it (their
 * deliveries are written in the relay's own transaction) and Cowrie wires it in, so events
 * knows no subscriber by name.
 */
public interface EventFanOut {
  /** An event as the relay hands it on; {@code event} is its public JSON (what webhooks send). */
  record NewEvent(String id, String merchantId, String mode, String type, JsonObject event) {}

  /** Writes what the events owe inside the relay's transaction; answers how many rows it wrote. */
  Future<Integer> fanOut(SqlClient tx, List<NewEvent> events);

  /** After the commit, when {@link #fanOut} wrote rows: tell this node's worker there is work. */
  void nudge(Vertx vertx);
}
