package dev.cowrie.auth;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Input;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.http.Access;
import dev.cowrie.http.Api;
import dev.cowrie.http.Call;
import dev.cowrie.http.Reply;
import dev.cowrie.http.Routes;
import dev.cowrie.security.AuthAddresses;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The business profile and KYC: {@code /v1/profile} (details, documents, submit) for the merchant,
 * {@code /v1/admin/merchants/{id}/kyc/…} and the documents for the operator. Documents are refused
 * unless their own bytes say PDF, PNG or JPEG, whatever the upload claims.
 */
public final class ProfileRoutes implements Routes {
  private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
  /** Room for the multipart framing and the form fields around the file. */
  private static final int MULTIPART_OVERHEAD_BYTES = 64 * 1024;
  private final long timeoutMs;
  private final int documentBytesMax;

  public ProfileRoutes(CowrieConfig config) {
    this.timeoutMs = config.bus().requestTimeoutMs();
    this.documentBytesMax = config.auth().documentBytesMax();
  }

  @Override
  public void mount(Api api) {
    api.get("/v1/profile", Access.SECRET, call -> send(api, AuthAddresses.PROFILE_GET, call.command(new JsonObject())).map(Reply::ok));
    api.put("/v1/profile", Access.SECRET, call -> send(api, AuthAddresses.PROFILE_UPDATE,
        call.command(new JsonObject().put("fields", fields(call.body())))).map(Reply::ok));
    api.post("/v1/profile/submit", Access.SECRET, call -> send(api, AuthAddresses.PROFILE_SUBMIT,
        call.command(new JsonObject())).map(Reply::ok));
    api.upload("/v1/profile/documents", Access.SECRET, documentBytesMax + MULTIPART_OVERHEAD_BYTES, call -> upload(api, call));
    api.get("/v1/profile/documents/:id", Access.SECRET, call -> document(api, call.command(new JsonObject().put("id", call.path("id")))));

    api.get("/v1/admin/kyc", Access.ADMIN, call -> send(api, AuthAddresses.KYC_LIST,
        new JsonObject().put("status", call.query("status")).put("limit", call.page().limit())).map(Reply::ok));
    api.get("/v1/admin/merchants/:id/profile", Access.ADMIN, call -> send(api, AuthAddresses.PROFILE_GET,
        call.command(new JsonObject().put("merchant_id", call.path("id")))).map(Reply::ok));
    api.get("/v1/admin/merchants/:id/documents/:document", Access.ADMIN, call -> document(api,
        call.command(new JsonObject().put("merchant_id", call.path("id")).put("id", call.path("document")))));
    api.post("/v1/admin/merchants/:id/kyc/approve", Access.ADMIN, call -> review(api, call, true));
    api.post("/v1/admin/merchants/:id/kyc/reject", Access.ADMIN, call -> review(api, call, false));
  }

  private Future<Reply> review(Api api, Call call, boolean approve) {
    JsonObject body = call.body();
    Input.onlyKnown(body, approve ? Set.of() : Set.of("reason"));
    return send(api, AuthAddresses.KYC_REVIEW, new JsonObject().put("merchant_id", call.path("id")).put("approve", approve)
        .put("reason", approve ? null : Input.string(body, "reason", 1000))).map(Reply::ok);
  }

  /** The business details of a PUT /v1/profile body, validated (the dashboard's form sends the same). */
  public static JsonObject fields(JsonObject body) {
    Input.onlyKnown(body, new HashSet<>(Profiles.FIELDS));
    JsonObject fields = new JsonObject()
        .put("legal_name", blankless(body, "legal_name", 200))
        .put("trading_name", blankless(body, "trading_name", 200))
        .put("registration_number", blankless(body, "registration_number", 100))
        .put("address", blankless(body, "address", 500))
        .put("website", Input.optionalHttpUrl(body, "website"));
    String country = blankless(body, "country", 100);
    if (country != null && !COUNTRIES.contains(country)) {
      throw CowrieError.invalid("country", "country must be an ISO 3166 two-letter code in capitals, like NG or KE.");
    }
    String email = blankless(body, "support_email", 320);
    return fields.put("country", country).put("support_email", email == null ? null : Input.email(body, "support_email"));
  }

  /** An optional text field; empty means unset. */
  private static String blankless(JsonObject body, String field, int maxLength) {
    String value = Input.optionalString(body, field, maxLength);
    return value == null || value.isBlank() ? null : value.strip();
  }

  private Future<Reply> upload(Api api, Call call) {
    if (call.ctx().fileUploads().size() != 1) {
      throw new CowrieError(ErrorCode.PARAMETER_MISSING,
          "Send one file as multipart/form-data in the field 'file' (with 'kind').", "file");
    }
    return document(api.vertx(), call.ctx().fileUploads().get(0), call.ctx().request().getFormAttribute("kind"), documentBytesMax)
        .compose(payload -> send(api, AuthAddresses.DOCUMENT_ADD, call.command(payload))).map(Reply::created);
  }

  /**
   * An uploaded document checked as the API checks it (kind, size, type by its own bytes), as the
   * payload of {@code cowrie.auth.document_add}; the dashboard's upload form uses it too.
   */
  public static Future<JsonObject> document(io.vertx.core.Vertx vertx, FileUpload file, String kind, int bytesMax) {
    if (kind == null || !Profiles.DOCUMENT_KINDS.contains(kind)) {
      return Future.failedFuture(CowrieError.invalid("kind", "kind must be one of " + String.join(", ", Profiles.DOCUMENT_KINDS) + "."));
    }
    if (file.size() == 0 || file.size() > bytesMax) {
      return Future.failedFuture(CowrieError.invalid("file", "A document is 1 byte to " + bytesMax / (1024 * 1024) + " MB."));
    }
    return vertx.fileSystem().readFile(file.uploadedFileName()).compose(bytes -> {
      byte[] content = bytes.getBytes();
      String type = Profiles.sniff(content);
      if (type == null) {
        return Future.failedFuture(new CowrieError(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            "A document must be a PDF, PNG or JPEG file (this one's content is none of them).", "file"));
      }
      String name = file.fileName() == null || file.fileName().isBlank() ? "document" : file.fileName();
      return Future.succeededFuture(new JsonObject().put("kind", kind)
          .put("filename", name.length() > 200 ? name.substring(0, 200) : name).put("content_type", type).put("content", content));
    });
  }

  /** The document itself, as a download (never shown inline: it is the merchant's, not a page). */
  private Future<Reply> document(Api api, JsonObject command) {
    return send(api, AuthAddresses.DOCUMENT_GET, command).map(doc -> Reply.raw(200, doc.getString("content_type"),
            Buffer.buffer(doc.getBinary("content")))
        .withHeaders(Map.of("Content-Disposition", "attachment; filename=\"" + doc.getString("filename").replaceAll("[^A-Za-z0-9._-]", "_")
            + "\"", "X-Content-Type-Options", "nosniff", "Cache-Control", "no-store")));
  }

  private Future<JsonObject> send(Api api, String address, JsonObject command) {
    return Bus.request(api.vertx(), address, command, timeoutMs);
  }
}
