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

  /** Sends a command and answers its reply body; failures come back as {@link CowrieError}. */
  public static <T> Future<T> request(Vertx vertx, String address, JsonObject command, long timeoutMs) {
    return vertx.eventBus().<T>request(address, command, new DeliveryOptions().setSendTimeout(timeoutMs))
        .map(reply -> reply.body())
        .recover(failure -> Future.failedFuture(CowrieError.from(failure)));
  }
}
