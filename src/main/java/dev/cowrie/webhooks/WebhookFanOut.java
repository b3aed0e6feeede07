package dev.cowrie.webhooks;

import dev.cowrie.events.EventFanOut;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.sqlclient.SqlClient;
import java.util.List;

/** Each relayed event becomes a delivery to every endpoint subscribed to it (see {@link Deliveries#createFor}). */
public final class WebhookFanOut implements EventFanOut {
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  private final int attemptsMax;

  public WebhookFanOut(int attemptsMax) {
    this.attemptsMax = attemptsMax;
  }

  @Override
  public Future<Integer> fanOut(SqlClient tx, List<NewEvent> events) {
    return Deliveries.createFor(tx, events, attemptsMax);
  }

  @Override
  public void nudge(Vertx vertx) {
    // Local only: the dispatcher listens with a localConsumer, which a clustered send would not find.
    vertx.eventBus().send(WebhookAddresses.NUDGE, null, LOCAL);
  }
}
