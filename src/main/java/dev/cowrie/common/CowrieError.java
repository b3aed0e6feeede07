package dev.cowrie.common;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * An operating error with a stable code. It crosses the event bus as a {@link ReplyException}
 * whose failure code is the HTTP status and whose message is the error as JSON; the HTTP layer
 * alone turns it into the error object of API.md.
 */
public final class CowrieError extends RuntimeException {
  public final ErrorCode code;
  public final String param;
  public final JsonObject extra;

  public CowrieError(ErrorCode code, String message) {
    this(code, message, null, null);
  }

  public CowrieError(ErrorCode code, String message, String param) {
    this(code, message, param, null);
  }

  public CowrieError(ErrorCode code, String message, String param, JsonObject extra) {
    super(message, null, false, false);
    this.code = code;
    this.param = param;
    this.extra = extra;
  }

  public static CowrieError invalid(String param, String message) {
    return new CowrieError(ErrorCode.PARAMETER_INVALID, message, param);
  }

  public static CowrieError missing(String param) {
    return new CowrieError(ErrorCode.PARAMETER_MISSING, "Missing required parameter: " + param + ".", param);
  }

  public static CowrieError notFound(String what, String id) {
    return new CowrieError(ErrorCode.RESOURCE_MISSING, "No such " + what + ": '" + id + "'.", "id");
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("code", code.wire()).put("message", getMessage());
    if (param != null) {
      json.put("param", param);
    }
    if (extra != null) {
      json.put("extra", extra);
    }
    return json;
  }

  /** Fails an event-bus request with this error. */
  public void replyTo(Message<?> message) {
    message.fail(code.httpStatus, toJson().encode());
  }

  /** Recovers a CowrieError from anything a future may fail with; unknown failures become internal errors. */
  public static CowrieError from(Throwable failure) {
    if (failure instanceof CowrieError error) {
      return error;
    }
    if (failure instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.TIMEOUT) {
        return new CowrieError(ErrorCode.SERVICE_UNAVAILABLE, "The service did not answer in time; retry later.");
      }
      if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
        return new CowrieError(ErrorCode.SERVICE_UNAVAILABLE, "The service is not available; retry later.");
      }
      String text = reply.getMessage();
      if (text != null && text.startsWith("{")) {
        try {
          JsonObject json = new JsonObject(text);
          return new CowrieError(ErrorCode.fromWire(json.getString("code", "internal_error")),
              json.getString("message", "Internal error."), json.getString("param"), json.getJsonObject("extra"));
        } catch (DecodeException notOurs) {
          // fall through
        }
      }
    }
    var outage = Outage.dependency(failure);
    if (outage.isPresent()) {
      return Outage.error(outage.get());
    }
    // Postgres text cannot hold NUL: an id, cursor or field containing one is the client's bad input.
    if (failure instanceof io.vertx.pgclient.PgException pg && "22021".equals(pg.getSqlState())) {
      return new CowrieError(ErrorCode.PARAMETER_INVALID, "Text must not contain NUL (\\u0000) characters.");
    }
    return new CowrieError(ErrorCode.INTERNAL_ERROR, "An internal error occurred; it has been logged.");
  }

  /** Replies to a bus message with the failure, logging failures that are not ours. */
  public static void replyFailure(Message<?> message, Throwable failure) {
    CowrieError error = from(failure);
    if (error.code == ErrorCode.INTERNAL_ERROR && !(failure instanceof CowrieError)) {
      org.slf4j.LoggerFactory.getLogger("cowrie.errors").error("Unexpected failure on {}", message.address(), failure);
    }
    error.replyTo(message);
  }
}
