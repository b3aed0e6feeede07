package dev.cowrie.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The wallet CLI's only way to Cowrie: its public HTTP API (JDK HttpClient, no gateway code), with
 * the login kept in {@code ~/.config/cowrie/credentials} (mode 0600) and refreshed once when the
 * access token has expired.
 */
final class WalletClient {
  /** An answer the CLI cannot go on with; its message is the one line the user sees. */
  static final class Failure extends RuntimeException {
    Failure(String message) {
      super(message);
    }
  }

  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
  private final Path file;
  private JsonObject credentials;

  WalletClient(Path file) {
    this.file = file;
  }

  static Path defaultFile() {
    String override = System.getenv("COWRIE_CREDENTIALS");
    return override != null ? Path.of(override) : Path.of(System.getProperty("user.home"), ".config", "cowrie", "credentials");
  }

  HttpClient http() {
    return http;
  }

  JsonObject credentials() {
    if (credentials == null) {
      if (!Files.exists(file)) {
        throw new Failure("not logged in: run 'cowrie wallet login USERNAME' first");
      }
      try {
        credentials = new JsonObject(Files.readString(file));
      } catch (IOException | RuntimeException e) {
        throw new Failure("cannot read " + file + ": " + e.getMessage());
      }
    }
    return credentials;
  }

  /** OAuth password grant (form-encoded), then the tokens are saved with the URL and key they belong to. */
  JsonObject login(String url, String publishableKey, String username, String password) {
    JsonObject tokens = form(url, Map.of("grant_type", "password", "username", username, "password", password,
        "client_id", publishableKey));
    save(new JsonObject().put("url", url).put("publishable_key", publishableKey).put("username", username)
        .put("access_token", tokens.getString("access_token")).put("refresh_token", tokens.getString("refresh_token")));
    return tokens;
  }

  JsonObject get(String path) {
    return call("GET", path, null);
  }

  JsonObject post(String path, JsonObject body) {
    return call("POST", path, body);
  }

  private JsonObject call(String method, String path, JsonObject body) {
    HttpResponse<String> response = send(method, path, body);
    if (response.statusCode() == 401 && credentials().getString("refresh_token") != null) {
      refresh();
      response = send(method, path, body);
    }
    JsonObject json = parse(response);
    if (response.statusCode() >= 400) {
      JsonObject error = json.getJsonObject("error", new JsonObject());
      throw new Failure(error.getString("message", "HTTP " + response.statusCode()) + " (" + error.getString("code", "error") + ")");
    }
    return json;
  }

  private HttpResponse<String> send(String method, String path, JsonObject body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(credentials().getString("url") + path)).timeout(TIMEOUT)
        .header("Authorization", "Bearer " + credentials().getString("access_token"));
    if (body != null) {
      request.header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString());
    }
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    return exchange(request.build());
  }

  private void refresh() {
    JsonObject tokens = form(credentials().getString("url"), Map.of("grant_type", "refresh_token",
        "refresh_token", credentials().getString("refresh_token")));
    save(credentials().copy().put("access_token", tokens.getString("access_token")).put("refresh_token", tokens.getString("refresh_token")));
  }

  private JsonObject form(String url, Map<String, String> fields) {
    String body = fields.entrySet().stream().map(field -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpResponse<String> response = exchange(HttpRequest.newBuilder(URI.create(url + "/v1/auth/token")).timeout(TIMEOUT)
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    JsonObject json = parse(response);
    if (response.statusCode() != 200) {
      throw new Failure("login refused: " + json.getString("error_description", json.getString("error", "HTTP " + response.statusCode())));
    }
    return json;
  }

  private HttpResponse<String> exchange(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Failure("cannot reach " + request.uri().getScheme() + "://" + request.uri().getAuthority() + ": "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted");
    }
  }

  private static JsonObject parse(HttpResponse<String> response) {
    try {
      return response.body().isBlank() ? new JsonObject() : new JsonObject(response.body());
    } catch (RuntimeException notJson) {
      throw new Failure("unexpected answer (HTTP " + response.statusCode() + ") from " + response.uri());
    }
  }

  private void save(JsonObject values) {
    try {
      Files.createDirectories(file.getParent());
      Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(temporary);
      // Created 0600 before anything is written: the tokens are never readable by others, not even briefly.
      Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(temporary, values.encodePrettily());
      Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      credentials = values;
    } catch (IOException e) {
      throw new Failure("cannot write " + file + ": " + e.getMessage());
    }
  }
}
