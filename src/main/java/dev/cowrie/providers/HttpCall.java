package dev.cowrie.providers;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.Map;

/** One HTTP call an adapter wants made; {@code path} is appended to the connection's API base. */
public record HttpCall(HttpMethod method, String path, Map<String, String> headers, Buffer body) {

  public static HttpCall get(String path, Map<String, String> headers) {
    return new HttpCall(HttpMethod.GET, path, headers, null);
  }

  public static HttpCall post(String path, Map<String, String> headers, Buffer body) {
    return new HttpCall(HttpMethod.POST, path, headers, body);
  }
}
