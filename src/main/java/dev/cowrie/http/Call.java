package dev.cowrie.http;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.security.Principal;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** One authenticated API call: the routing context, who makes it, and typed access to its input. */
public record Call(RoutingContext ctx, Principal principal) {

  /** The request body as a JSON object; an empty body is {}; anything else is a clear 400. */
  public JsonObject body() {
    JsonObject cached = ctx.get("cowrie.body");
    if (cached != null) {
      return cached;
    }
    Buffer raw = ctx.body() == null ? null : ctx.body().buffer();
    JsonObject body;
    if (raw == null || raw.length() == 0 || raw.toString().isBlank()) {
      body = new JsonObject();
    } else {
      Object decoded;
      try {
        decoded = Json.decodeValue(raw);
      } catch (DecodeException e) {
        // The parser's own text names its internals (and echoes input): say what is wrong in our words.
        throw new CowrieError(ErrorCode.INVALID_JSON, "The request body is not valid JSON.");
      }
      if (!(decoded instanceof JsonObject object)) {
        throw new CowrieError(ErrorCode.INVALID_JSON, "The request body must be a JSON object.");
      }
      rejectNul(object, "");
      body = object;
    }
    ctx.put("cowrie.body", body);
    return body;
  }

  /** PostgreSQL text cannot hold NUL, and no valid field value has one: refuse it here, naming the field. */
  private static void rejectNul(Object value, String path) {
    if (value instanceof String text && text.indexOf('\u0000') >= 0) {
      throw CowrieError.invalid(path, path + " contains a NUL character.");
    }
    if (value instanceof JsonObject object) {
      for (java.util.Map.Entry<String, Object> entry : object) {
        String name = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
        rejectNul(entry.getKey(), name);
        rejectNul(entry.getValue(), name);
      }
    } else if (value instanceof io.vertx.core.json.JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        rejectNul(array.getValue(i), path + "[" + i + "]");
      }
    }
  }

  public String path(String name) {
    return ctx.pathParam(name);
  }

  public String query(String name) {
    return ctx.queryParams().get(name);
  }

  public String requestId() {
    return ctx.get(RequestIds.KEY);
  }

  public String header(String name) {
    return ctx.request().getHeader(name);
  }

  /** Pagination parameters of API.md, validated. */
  /**
   * The Idempotency-Key of a money-moving call. A person's app must send one, so a retry after a
   * network error moves money once; merchants' secret-key calls keep it optional (API.md).
   */
  public String requiredIdempotencyKey() {
    String key = header("Idempotency-Key");
    if (key == null && principal != null && principal.kind() == Principal.Kind.WALLET_USER) {
      throw new CowrieError(ErrorCode.IDEMPOTENCY_KEY_REQUIRED, "This call moves money: send an Idempotency-Key header "
          + "(a fresh random value per payment, the same value when you retry it).", "Idempotency-Key");
    }
    return key;
  }

  public Page page() {
    return Page.from(ctx);
  }

  /** The principal and request context as they travel with a bus command. */
  public JsonObject command(JsonObject payload) {
    JsonObject record = ctx.get(RequestRecord.FIELD); // set on routes that record their own request (Api#postRecorded)
    if (record != null) {
      payload.put(RequestRecord.FIELD, record);
    }
    return payload.put("principal", principal == null ? null : principal.toJson())
        .put("request_id", requestId());
  }
}
