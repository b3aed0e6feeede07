package dev.cowrie.common;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/** Request/reply on the event bus with coded failures (see {@link CowrieError}). */
public final class Bus {
  private Bus() {}

  /** Serves {@code address}: the handler's answer is the reply, its failure a coded {@code ReplyException}. */
  public static MessageConsumer<JsonObject> serve(Vertx vertx, String address, Function<JsonObject, Future<?>> handler) {
    return vertx.eventBus().<JsonObject>consumer(address, message -> {
      Future<?> result;
      try {
        result = handler.apply(message.body() == null ? new JsonObject() : message.body());
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onSuccess(message::reply).onFailure(failure -> CowrieError.replyFailure(message, failure));
    });
  }

  /**
   * Options for a command: served on this node. Every node deploys every command verticle, so a
   * command never needs another JVM; on a clustered bus a plain send would round-robin across the
   * nodes and pay a network hop and a serialisation per command (measured: 1 node 32 payments/s,
   * 2 nodes 5/s). Only events (publish) and broadcasts cross nodes.
   */
  public static DeliveryOptions command(long timeoutMs) {
    return new DeliveryOptions().setSendTimeout(timeoutMs).setLocalOnly(true);
  }

  /** Sends a command and answers its reply body; failures come back as {@link CowrieError}. */
  public static <T> Future<T> request(Vertx vertx, String address, JsonObject command, long timeoutMs) {
    return vertx.eventBus().<T>request(address, command, command(timeoutMs))
        .map(reply -> reply.body())
        .recover(failure -> Future.failedFuture(CowrieError.from(failure)));
  }
}
