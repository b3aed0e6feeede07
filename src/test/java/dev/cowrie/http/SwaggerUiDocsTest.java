package dev.cowrie.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /docs is Swagger UI over /openapi.yaml, every file it loads served by the gateway itself under a strict CSP. */
class SwaggerUiDocsTest {
  private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"([^\"]+)\"");
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(SwaggerUiDocsTest.class);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void docsPageLoadsSwaggerUiFromTheGatewayOnly() {
    Response page = gateway.get("/docs").send();
    assertEquals(200, page.status());
    String csp = page.header("Content-Security-Policy");
    assertTrue(csp.contains("script-src 'self'") && !csp.contains("http") && !csp.contains("*"), csp);
    List<String> assets = new ArrayList<>();
    Matcher matcher = ASSET.matcher(page.body().toString());
    while (matcher.find()) {
      assets.add(matcher.group(1));
    }
    assertTrue(assets.contains("/docs/swagger-ui/swagger-ui-bundle.js"), assets.toString());
    assertTrue(assets.contains("/docs/swagger-ui/swagger-ui.css"), assets.toString());
    for (String asset : assets) {
      assertTrue(asset.startsWith("/"), "loaded from elsewhere: " + asset);
      Response file = gateway.get(asset).send();
      assertEquals(200, file.status(), asset);
      assertTrue(file.body().length() > 0, asset);
    }
  }

  @Test
  void swaggerUiFilesAreTheRealOnes() {
    Response bundle = gateway.get("/docs/swagger-ui/swagger-ui-bundle.js").send();
    assertEquals(200, bundle.status());
    assertTrue(bundle.header("Content-Type").contains("javascript"), bundle.header("Content-Type"));
    assertTrue(bundle.body().toString().contains("SwaggerUIBundle"));
    Response css = gateway.get("/docs/swagger-ui/swagger-ui.css").send();
    assertEquals(200, css.status());
    assertTrue(css.header("Content-Type").startsWith("text/css"), css.header("Content-Type"));
    assertTrue(css.body().toString().contains(".swagger-ui"));
    assertTrue(css.header("Content-Security-Policy").contains("default-src 'none'"));
  }

  @Test
  void initializerPointsAtOurSpecAndNoOutsideValidator() {
    Response init = gateway.get("/docs/init.js").send();
    assertEquals(200, init.status());
    String script = init.body().toString();
    assertTrue(script.contains("url: '/openapi.yaml'"), script);
    assertTrue(script.contains("validatorUrl: null"), script);
    assertEquals(200, gateway.get("/openapi.yaml").send().status());
  }
}
