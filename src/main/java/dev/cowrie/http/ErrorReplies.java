package dev.cowrie.http;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Outage;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that writes the error object of API.md; stack traces stay in the log. */
public final class ErrorReplies {
  private static final Logger log = LoggerFactory.getLogger(ErrorReplies.class);

  private ErrorReplies() {}

  public static Reply toReply(CowrieError error, String requestId) {
    JsonObject body = new JsonObject()
        .put("type", error.code.type.wire)
        .put("code", error.code.wire())
        .put("message", error.getMessage())
        .put("param", error.param)
        .put("request_id", requestId);
    if (error.extra != null) {
      body.mergeIn(error.extra);
    }
    Reply reply = Reply.of(error.code.httpStatus, new JsonObject().put("error", body));
    // A 503 is an outage or an overload: tell the client when trying again makes sense.
    return error.code == ErrorCode.SERVICE_UNAVAILABLE
        ? reply.withHeaders(Map.of("Retry-After", String.valueOf(Outage.RETRY_AFTER_SECONDS)))
        : reply;
  }

  /** Router failure handler: maps any failure, including Vert.x's own 404/405/413, to the error object. */
  static void handle(RoutingContext ctx) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    Throwable failure = ctx.failure();
    CowrieError error;
    if (failure != null) {
      error = CowrieError.from(failure);
      if (error.code == ErrorCode.SERVICE_UNAVAILABLE) {
        log.warn("{} {} answered 503: {}", ctx.request().method(), ctx.request().path(), failure.toString());
      } else if (error.code == ErrorCode.INTERNAL_ERROR) {
        log.error("Unhandled failure on {} {} ({})", ctx.request().method(), ctx.request().path(), ctx.get(RequestIds.KEY), failure);
      }
    } else {
      error = switch (ctx.statusCode()) {
        case 404 -> new CowrieError(ErrorCode.ROUTE_NOT_FOUND, "Unrecognized request URL (" + ctx.request().method() + " " + ctx.request().path() + ").");
        case 405 -> new CowrieError(ErrorCode.METHOD_NOT_ALLOWED, "Method " + ctx.request().method() + " is not allowed on " + ctx.request().path() + ".");
        case 413 -> new CowrieError(ErrorCode.BODY_TOO_LARGE, "The request body is larger than the limit.");
        case 415 -> new CowrieError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Unsupported content type.");
        case 400 -> new CowrieError(ErrorCode.INVALID_REQUEST, "The request is malformed.");
        default -> new CowrieError(ErrorCode.INTERNAL_ERROR, "An internal error occurred; it has been logged.");
      };
    }
    write(ctx, toReply(error, ctx.get(RequestIds.KEY)));
  }

  static void write(RoutingContext ctx, Reply reply) {
    var response = ctx.response();
    if (response.ended()) {
      return;
    }
    response.setStatusCode(reply.status());
    reply.headers().forEach(response::putHeader);
    response.putHeader("Content-Type", reply.contentType());
    response.end(reply.body());
  }
}
