package dev.cowrie.http;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code ?limit=} (1–100, default 20) and {@code ?starting_after=<id>}; see API.md "Lists". */
public record Page(int limit, String startingAfter) {
  public static final int LIMIT_DEFAULT = 20;
  public static final int LIMIT_MAX = 100;

  public static Page from(RoutingContext ctx) {
    String rawLimit = ctx.queryParams().get("limit");
    int limit = LIMIT_DEFAULT;
    if (rawLimit != null) {
      try {
        limit = Integer.parseInt(rawLimit);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > LIMIT_MAX) {
        throw new CowrieError(ErrorCode.PARAMETER_INVALID, "limit must be an integer from 1 to 100.", "limit");
      }
    }
    String after = ctx.queryParams().get("starting_after");
    if (after != null && (after.isBlank() || after.length() > 64)) {
      throw new CowrieError(ErrorCode.PARAMETER_INVALID, "starting_after must be an object id.", "starting_after");
    }
    return new Page(limit, after);
  }

  public static Page fromJson(JsonObject json) {
    return new Page(json.getInteger("limit", LIMIT_DEFAULT), json.getString("starting_after"));
  }

  public JsonObject toJson() {
    return new JsonObject().put("limit", limit).put("starting_after", startingAfter);
  }

  /** Cursor to use in SQL: ids sort by time, so "after" is simply "less than" for newest-first lists. */
  public String cursor() {
    return startingAfter == null ? "\uffff" : startingAfter;
  }

  /** The list envelope, given one row more than the limit was fetched to learn has_more. */
  public JsonObject envelope(JsonArray rowsPlusOne) {
    boolean hasMore = rowsPlusOne.size() > limit;
    JsonArray data = hasMore ? new JsonArray(rowsPlusOne.getList().subList(0, limit)) : rowsPlusOne;
    return new JsonObject().put("object", "list").put("data", data).put("has_more", hasMore);
  }
}
