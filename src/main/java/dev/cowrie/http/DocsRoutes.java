package dev.cowrie.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** {@code GET /openapi.yaml}, the same as JSON, and {@code /docs}, a page that renders it without any CDN. */
final class DocsRoutes implements HttpVerticle.Routes {
  private final Buffer yaml = resource("/openapi.yaml");
  private final Buffer docs = resource("/docs.html");
  private final JsonObject json = new JsonObject(new Yaml().<Map<String, Object>>load(yaml.toString()));

  @Override
  public void mount(Api api) {
    api.get("/openapi.yaml", Access.NONE, call -> Future.succeededFuture(Reply.raw(200, "application/yaml", yaml)));
    api.get("/openapi.json", Access.NONE, call -> Future.succeededFuture(Reply.ok(json)));
    api.get("/docs", Access.NONE, call -> Future.succeededFuture(Reply.raw(200, "text/html; charset=utf-8", docs)));
  }

  private static Buffer resource(String name) {
    try (InputStream in = DocsRoutes.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("Missing resource " + name);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
