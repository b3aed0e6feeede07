package dev.cowrie.auth;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Ids;
import dev.cowrie.common.Times;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import java.util.List;

/**
 * A merchant's business profile and its KYC review: unverified → submitted → verified | rejected
 * (reason), rejected → submitted again. Live mode opens only once verified ({@link #verified}).
 * Every method runs on the caller's connection: a tenant transaction for the merchant, the system
 * pool for the operator's review.
 */
public final class Profiles {
  /** Fields a merchant edits, in column order. */
  static final List<String> FIELDS = List.of("legal_name", "trading_name", "country", "registration_number", "address",
      "website", "support_email");
  /** What identifies the business: fixed once verified. */
  static final List<String> IDENTITY = List.of("legal_name", "country", "registration_number");
  /** Needed before submitting, besides one document. */
  static final List<String> REQUIRED = List.of("legal_name", "country", "registration_number", "address", "support_email");
  public static final List<String> DOCUMENT_KINDS = List.of("registration_certificate", "proof_of_address",
      "identity_document", "other");
  private static final String SELECT = """
      SELECT m.id AS merchant_id, p.legal_name, p.trading_name, p.country, p.registration_number, p.address, p.website,
             p.support_email, coalesce(p.kyc_status, 'unverified') AS kyc_status, p.kyc_reason, p.submitted_at, p.reviewed_at
      FROM merchants m LEFT JOIN merchant_profiles p ON p.merchant_id = m.id WHERE m.id = $1""";
  private static final String DOCUMENTS = """
      SELECT id, kind, filename, content_type, size_bytes, created_at FROM merchant_documents
      WHERE merchant_id = $1 ORDER BY id LIMIT 50""";

  private Profiles() {}

  /** The profile with its documents' descriptions (never their content); 404 for an unknown merchant. */
  public static Future<JsonObject> get(SqlClient sql, String merchantId) {
    return sql.preparedQuery(SELECT).execute(Tuple.of(merchantId)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(CowrieError.notFound("merchant", merchantId));
      }
      JsonObject profile = toJson(rows.iterator().next());
      return sql.preparedQuery(DOCUMENTS).execute(Tuple.of(merchantId)).map(docs -> {
        JsonArray list = new JsonArray();
        docs.forEach(doc -> list.add(new JsonObject().put("id", doc.getString("id")).put("object", "document")
            .put("kind", doc.getString("kind")).put("filename", doc.getString("filename"))
            .put("content_type", doc.getString("content_type")).put("size_bytes", doc.getInteger("size_bytes"))
            .put("created_at", Times.rfc3339(doc.getOffsetDateTime("created_at")))));
        return profile.put("documents", list);
      });
    });
  }

  /** Whether live mode is open to the merchant. */
  public static Future<Boolean> verified(SqlClient sql, String merchantId) {
    return sql.preparedQuery("SELECT 1 FROM merchant_profiles WHERE merchant_id = $1 AND kyc_status = 'verified'")
        .execute(Tuple.of(merchantId)).map(rows -> rows.size() > 0);
  }

  /** Replaces the editable fields ({@code fields} validated by the route); not while under review, identity not once verified. */
  static Future<JsonObject> update(SqlClient sql, String merchantId, JsonObject fields) {
    return get(sql, merchantId).compose(current -> {
      String status = current.getString("kyc_status");
      if ("submitted".equals(status)) {
        return Future.failedFuture(new CowrieError(ErrorCode.INVALID_STATE,
            "The profile is under review and cannot change until the review ends."));
      }
      if ("verified".equals(status)) {
        for (String field : IDENTITY) {
          if (!java.util.Objects.equals(current.getString(field), fields.getString(field))) {
            return Future.failedFuture(new CowrieError(ErrorCode.INVALID_STATE,
                field + " is verified and cannot change; contact the operator.", field));
          }
        }
      }
      Object[] values = new Object[FIELDS.size() + 1];
      values[0] = merchantId;
      for (int i = 0; i < FIELDS.size(); i++) {
        values[i + 1] = fields.getString(FIELDS.get(i));
      }
      return sql.preparedQuery("""
              INSERT INTO merchant_profiles (merchant_id, legal_name, trading_name, country, registration_number, address,
                                             website, support_email)
              VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
              ON CONFLICT (merchant_id) DO UPDATE SET legal_name = $2, trading_name = $3, country = $4,
                registration_number = $5, address = $6, website = $7, support_email = $8, updated_at = now()""")
          .execute(Tuple.tuple(Arrays.asList(values)))
          .compose(done -> get(sql, merchantId));
    });
  }

  /** Stores a document already checked (type by its bytes, size); only while the profile can change. */
  static Future<JsonObject> addDocument(SqlClient sql, String merchantId, String kind, String filename, String contentType,
      byte[] content) {
    return get(sql, merchantId).compose(current -> {
      String status = current.getString("kyc_status");
      if (!"unverified".equals(status) && !"rejected".equals(status)) {
        return Future.failedFuture(new CowrieError(ErrorCode.INVALID_STATE,
            "Documents are added before submitting (the profile is " + status + ")."));
      }
      String id = Ids.next("doc");
      return sql.preparedQuery("""
              INSERT INTO merchant_documents (id, merchant_id, kind, filename, content_type, size_bytes, content)
              VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING created_at""")
          .execute(Tuple.of(id, merchantId, kind, filename, contentType, content.length, Buffer.buffer(content)))
          .map(rows -> new JsonObject().put("id", id).put("object", "document").put("kind", kind).put("filename", filename)
              .put("content_type", contentType).put("size_bytes", content.length)
              .put("created_at", Times.rfc3339(rows.iterator().next().getOffsetDateTime("created_at"))));
    });
  }

  /** A document's bytes and type: {@code content_type}, {@code filename}, {@code content} (base64 in JSON). */
  public static Future<JsonObject> document(SqlClient sql, String merchantId, String documentId) {
    return sql.preparedQuery("SELECT filename, content_type, content FROM merchant_documents WHERE merchant_id = $1 AND id = $2")
        .execute(Tuple.of(merchantId, documentId))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(CowrieError.notFound("document", documentId))
            : Future.succeededFuture(new JsonObject().put("filename", rows.iterator().next().getString("filename"))
                .put("content_type", rows.iterator().next().getString("content_type"))
                .put("content", rows.iterator().next().getBuffer("content").getBytes())));
  }

  static Future<JsonObject> submit(SqlClient sql, String merchantId) {
    return get(sql, merchantId).compose(current -> {
      for (String field : REQUIRED) {
        if (current.getString(field) == null) {
          return Future.failedFuture(new CowrieError(ErrorCode.PARAMETER_MISSING,
              field + " is needed before submitting for review (PUT /v1/profile).", field));
        }
      }
      if (current.getJsonArray("documents").isEmpty()) {
        return Future.failedFuture(new CowrieError(ErrorCode.PARAMETER_MISSING,
            "Upload at least one document (POST /v1/profile/documents) before submitting.", "documents"));
      }
      return sql.preparedQuery("""
              UPDATE merchant_profiles SET kyc_status = 'submitted', kyc_reason = NULL, submitted_at = now(), updated_at = now()
              WHERE merchant_id = $1 AND kyc_status IN ('unverified', 'rejected')""")
          .execute(Tuple.of(merchantId))
          .compose(updated -> updated.rowCount() == 1 ? get(sql, merchantId)
              : Future.failedFuture(new CowrieError(ErrorCode.INVALID_STATE,
                  "The profile is already " + current.getString("kyc_status") + ".")));
    });
  }

  /** The operator's decision on a submitted profile; a rejection names its reason. */
  public static Future<JsonObject> review(SqlClient sql, String merchantId, boolean approve, String reason) {
    if (!approve && (reason == null || reason.isBlank())) {
      throw CowrieError.missing("reason");
    }
    return sql.preparedQuery("""
            UPDATE merchant_profiles SET kyc_status = $2, kyc_reason = $3, reviewed_at = now(), updated_at = now()
            WHERE merchant_id = $1 AND kyc_status = 'submitted'""")
        .execute(Tuple.of(merchantId, approve ? "verified" : "rejected", approve ? null : reason))
        .compose(updated -> get(sql, merchantId).compose(profile -> updated.rowCount() == 1 ? Future.succeededFuture(profile)
            : Future.failedFuture(new CowrieError(ErrorCode.INVALID_STATE,
                "Only a submitted profile is reviewed; this one is " + profile.getString("kyc_status") + "."))));
  }

  /** Profiles by status for the operator (newest submissions first); {@code status} null lists all. */
  public static Future<JsonArray> list(SqlClient sql, String status, int limit) {
    return sql.preparedQuery("""
            SELECT m.id AS merchant_id, m.name, p.legal_name, coalesce(p.kyc_status, 'unverified') AS kyc_status, p.submitted_at,
                   (SELECT count(*) FROM merchant_documents d WHERE d.merchant_id = m.id) AS documents
            FROM merchants m LEFT JOIN merchant_profiles p ON p.merchant_id = m.id
            WHERE ($1::text IS NULL OR coalesce(p.kyc_status, 'unverified') = $1)
            ORDER BY p.submitted_at DESC NULLS LAST, m.id DESC LIMIT $2""")
        .execute(Tuple.of(status, limit))
        .map(rows -> {
          JsonArray list = new JsonArray();
          rows.forEach(row -> list.add(new JsonObject().put("merchant", row.getString("merchant_id")).put("name", row.getString("name"))
              .put("legal_name", row.getString("legal_name")).put("kyc_status", row.getString("kyc_status"))
              .put("submitted_at", Times.rfc3339(row.getOffsetDateTime("submitted_at")))
              .put("documents", row.getLong("documents"))));
          return list;
        });
  }

  private static JsonObject toJson(Row row) {
    JsonObject json = new JsonObject().put("object", "profile").put("merchant", row.getString("merchant_id"));
    FIELDS.forEach(field -> json.put(field, row.getString(field)));
    return json.put("kyc_status", row.getString("kyc_status")).put("kyc_reason", row.getString("kyc_reason"))
        .put("submitted_at", Times.rfc3339(row.getOffsetDateTime("submitted_at")))
        .put("reviewed_at", Times.rfc3339(row.getOffsetDateTime("reviewed_at")));
  }

  /** The type a document's first bytes prove it is (PDF, PNG, JPEG), whatever its upload claims; null for anything else. */
  static String sniff(byte[] content) {
    if (starts(content, 0x25, 0x50, 0x44, 0x46, 0x2d)) { // %PDF-
      return "application/pdf";
    }
    if (starts(content, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) {
      return "image/png";
    }
    if (starts(content, 0xff, 0xd8, 0xff)) {
      return "image/jpeg";
    }
    return null;
  }

  private static boolean starts(byte[] content, int... magic) {
    if (content.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((content[i] & 0xff) != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
