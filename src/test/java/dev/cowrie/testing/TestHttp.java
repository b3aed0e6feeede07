package dev.cowrie.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/** Blocking HTTP calls for tests, so each test reads top to bottom like a user's session. */
public final class TestHttp {
  private TestHttp() {}

  public static final class Request {
    private final io.vertx.ext.web.client.HttpRequest<Buffer> request;
    private Buffer body;

    Request(WebClient web, HttpMethod method, String path) {
      this.request = web.request(method, path).timeout(30_000);
    }

    public Request bearer(String token) {
      request.putHeader("Authorization", "Bearer " + token);
      return this;
    }

    public Request header(String name, String value) {
      request.putHeader(name, value);
      return this;
    }

    public Request idempotencyKey(String key) {
      return header("Idempotency-Key", key);
    }

    public Request json(JsonObject json) {
      request.putHeader("Content-Type", "application/json");
      this.body = json.toBuffer();
      return this;
    }

    public Request raw(String contentType, String text) {
      request.putHeader("Content-Type", contentType);
      this.body = Buffer.buffer(text);
      return this;
    }

    public Request raw(String contentType, Buffer bytes) {
      request.putHeader("Content-Type", contentType);
      this.body = bytes;
      return this;
    }

    /** A multipart/form-data body: the text {@code fields}, then one file under {@code fileField}. */
    public Request multipart(java.util.Map<String, String> fields, String fileField, String filename, String fileType,
        Buffer content) {
      String boundary = "cowrie-test-" + java.util.UUID.randomUUID();
      Buffer form = Buffer.buffer();
      fields.forEach((name, value) -> form.appendString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
          + "\"\r\n\r\n" + value + "\r\n"));
      form.appendString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField + "\"; filename=\""
          + filename + "\"\r\nContent-Type: " + fileType + "\r\n\r\n").appendBuffer(content)
          .appendString("\r\n--" + boundary + "--\r\n");
      return raw("multipart/form-data; boundary=" + boundary, form);
    }

    public io.vertx.core.Future<Response> sendAsync() {
      return (body == null ? request.send() : request.sendBuffer(body)).map(Response::new).andThen(answered -> {
        if (answered.succeeded()) {
          Response response = answered.result();
          OpenApiConformance.check(request.method(), request.uri(), request.headers(), body,
              response.status(), response.headers(), response.body());
        }
      });
    }

    public Response send() {
      return TestGateway.await(sendAsync());
    }
  }

  public record Response(int status, MultiMap headers, Buffer body) {
    Response(HttpResponse<Buffer> response) {
      this(response.statusCode(), response.headers(), response.body() == null ? Buffer.buffer() : response.body());
    }

    public JsonObject json() {
      return body.length() == 0 ? new JsonObject() : new JsonObject(body);
    }

    public JsonArray data() {
      return json().getJsonArray("data");
    }

    public String header(String name) {
      return headers.get(name);
    }

    /** The error code of an error answer. */
    public String errorCode() {
      JsonObject error = json().getJsonObject("error");
      return error == null ? null : error.getString("code");
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }
}
