package dev.cowrie.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Proves openapi.yaml against the routes: every exchange of the test suite through {@link TestHttp}
 * is checked against it. A request the gateway accepted (2xx) must be one the document allows; every
 * answer must be one the document describes. Violations are collected here; {@link
 * OpenApiConformanceExtension} fails the test class that produced them.
 */
public final class OpenApiConformance {
  /** Every JSON operation is held to the document; each violation is also written to target/openapi-conformance.txt. */
  static final List<String> ENFORCED_PREFIXES = List.of("/v1/");
  private static final Path SPEC = Path.of("src/main/resources/openapi.yaml");
  private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator
      .createForInlineApiSpecification(read(SPEC)).build();
  private static final Queue<String> VIOLATIONS = new ConcurrentLinkedQueue<>();

  private OpenApiConformance() {}

  /** Checks one exchange; {@code uri} is the path with its query. */
  static void check(HttpMethod method, String uri, MultiMap requestHeaders, Buffer requestBody,
      int status, MultiMap responseHeaders, Buffer responseBody) {
    URI parsed = URI.create(uri);
    String path = parsed.getRawPath();
    if (!path.startsWith("/v1/") || path.equals("/v1/eventbus") || path.startsWith("/v1/eventbus/")) {
      return; // pages, health, docs and the SockJS bridge are not JSON operations
    }
    Request.Method verb = Request.Method.valueOf(method.name());
    if (status >= 200 && status < 300) {
      record(method, uri, status, "request", VALIDATOR.validateRequest(request(verb, parsed, requestHeaders, requestBody)));
    }
    SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
    responseHeaders.names().forEach(name -> response.withHeader(name, responseHeaders.getAll(name)));
    if (responseBody != null && responseBody.length() > 0) {
      response.withBody(responseBody.toString());
    }
    record(method, uri, status, "response", VALIDATOR.validateResponse(path, verb, response.build()));
  }

  private static SimpleRequest request(Request.Method verb, URI uri, MultiMap headers, Buffer body) {
    SimpleRequest.Builder request = new SimpleRequest.Builder(verb, uri.getRawPath());
    headers.names().forEach(name -> request.withHeader(name, headers.getAll(name)));
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        String[] nameValue = pair.split("=", 2);
        request.withQueryParam(decode(nameValue[0]), nameValue.length == 2 ? decode(nameValue[1]) : "");
      }
    }
    if (body != null && body.length() > 0) {
      request.withBody(body.getBytes());
    }
    return request.build();
  }

  private static void record(HttpMethod method, String uri, int status, String side, ValidationReport report) {
    report.getMessages().stream().filter(message -> message.getLevel() == ValidationReport.Level.ERROR)
        // An error answer to a method or path the document does not have is what the gateway should say.
        .filter(message -> !(status >= 400 && message.getKey().startsWith("validation.request.")))
        .forEach(message -> VIOLATIONS.add(method + " " + uri + " → " + status + " (" + side + ") "
            + message.getKey() + ": " + message.getMessage().replace('\n', ' ')));
  }

  /** Takes the violations seen so far. */
  static List<String> drain() {
    List<String> taken = new ArrayList<>();
    for (String violation = VIOLATIONS.poll(); violation != null; violation = VIOLATIONS.poll()) {
      taken.add(violation);
    }
    return taken;
  }

  static boolean enforced(String violation) {
    String path = violation.substring(violation.indexOf(' ') + 1);
    return ENFORCED_PREFIXES.stream().anyMatch(path::startsWith);
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  private static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
