package dev.cowrie.http;

import io.vertx.core.json.JsonObject;

/**
 * What the layout of every page needs from the request: the CSRF token (for its forms), the signed-in
 * person (null: nobody) and the page's own path. Templates declare {@code @param PageChrome page} and
 * hand it to {@code @template.layout(page = page, …)}.
 */
public record PageChrome(String csrf, JsonObject user, String here) {}
