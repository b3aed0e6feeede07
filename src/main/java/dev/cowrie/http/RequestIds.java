package dev.cowrie.http;

import dev.cowrie.common.Ids;
import io.vertx.ext.web.RoutingContext;

/** Gives every request a {@code req_…} id, sent back in {@code Request-Id} on every answer. */
final class RequestIds {
  static final String KEY = "cowrie.request_id";

  private RequestIds() {}

  static void assign(RoutingContext ctx) {
    String id = Ids.next("req");
    ctx.put(KEY, id);
    ctx.response().putHeader("Request-Id", id);
    ctx.next();
  }
}
