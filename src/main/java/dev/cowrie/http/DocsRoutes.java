package dev.cowrie.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code GET /openapi.yaml}, the same as JSON, and {@code /docs}: Swagger UI (with try-it) over
 * {@code /openapi.yaml}, its files served from the {@code org.webjars:swagger-ui} jar, no CDN.
 */
final class DocsRoutes implements Routes {
  static final String SWAGGER_UI_PATH = "/docs/swagger-ui/";
  /** Swagger UI loads only our own files; it styles through style attributes and inlines SVG icons as data: URLs. */
  static final String DOCS_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      + "img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'self'; form-action 'self'; "
      + "frame-ancestors 'none'";
  private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";

  private final Buffer yaml = resource("/openapi.yaml");
  private final Buffer docs = resource("/docs.html");
  private final Buffer initializer = resource("/docs-init.js");
  private final JsonObject json = new JsonObject(new Yaml().<Map<String, Object>>load(yaml.toString()));

  @Override
  public void mount(Api api) {
    api.get("/openapi.yaml", Access.NONE, call -> Future.succeededFuture(Reply.raw(200, "application/yaml", yaml)));
    api.get("/openapi.json", Access.NONE, call -> Future.succeededFuture(Reply.ok(json)));
    Map<String, String> pageHeaders = Map.of("Content-Security-Policy", DOCS_CSP, "X-Frame-Options", "DENY");
    api.get("/docs", Access.NONE,
        call -> Future.succeededFuture(Reply.raw(200, "text/html; charset=utf-8", docs).withHeaders(pageHeaders)));
    // The page's own files are not API operations, so they stay out of Api (and out of openapi.yaml).
    api.router().get("/docs/init.js").handler(ctx -> securityHeaders(ctx)
        .putHeader("Content-Type", "text/javascript; charset=utf-8").end(initializer));
    api.router().route(SWAGGER_UI_PATH + "*")
        .handler(ctx -> {
          securityHeaders(ctx);
          ctx.next();
        })
        .handler(StaticHandler.create(WEBJAR + swaggerUiVersion()));
  }

  private static HttpServerResponse securityHeaders(RoutingContext ctx) {
    return ctx.response().putHeader("Content-Security-Policy", DOCS_CSP).putHeader("X-Content-Type-Options", "nosniff");
  }

  /** The webjar names its folder by version; reading it from the jar lets a pom bump change nothing here. */
  private static String swaggerUiVersion() {
    Properties pom = new Properties();
    try (InputStream in = DocsRoutes.class.getResourceAsStream("/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("org.webjars:swagger-ui is not on the classpath");
      }
      pom.load(in);
      return pom.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
