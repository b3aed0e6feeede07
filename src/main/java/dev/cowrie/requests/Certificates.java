package dev.cowrie.requests;

import dev.cowrie.common.Secrets;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Payment certificates: W3C Verifiable Credentials (data model 1.1) in the JWT encoding (VC-JWT),
 * signed EdDSA with the instance key named by {@code kid}; anyone can check them against the
 * JWKS at /v1/.well-known/cowrie-keys.
 */
final class Certificates {
  private Certificates() {}

  /** What the certificate states: who paid what towards which request, and the tally after it. */
  record Claim(String issuer, String requestId, String payee, String payer, long paidAmount, String currency,
      long totalPaid, String status, String proof, String confirmationNonce) {}

  static String issue(SigningKeys keys, Claim claim, Instant now) {
    JsonObject header = new JsonObject().put("alg", "EdDSA").put("typ", "JWT").put("kid", keys.active().kid());
    JsonObject subject = new JsonObject()
        .put("id", "urn:cowrie:payer:" + claim.payer())
        .put("payer", claim.payer())
        .put("payee", claim.payee())
        .put("payment_request", claim.requestId())
        .put("paid", new JsonObject().put("amount", claim.paidAmount()).put("currency", claim.currency()))
        .put("total_paid", new JsonObject().put("amount", claim.totalPaid()).put("currency", claim.currency()))
        .put("status", claim.status())
        .put("proof", claim.proof());
    JsonObject credential = new JsonObject()
        .put("@context", new JsonArray().add("https://www.w3.org/2018/credentials/v1"))
        .put("type", new JsonArray().add("VerifiableCredential").add("PaymentReceiptCredential"))
        .put("issuer", claim.issuer())
        .put("issuanceDate", now.toString())
        .put("credentialSubject", subject);
    JsonObject payload = new JsonObject()
        .put("iss", claim.issuer())
        .put("sub", subject.getString("id"))
        .put("jti", "urn:cowrie:confirmation:" + claim.requestId() + ":" + claim.confirmationNonce())
        .put("iat", now.getEpochSecond())
        .put("nbf", now.getEpochSecond())
        .put("vc", credential);
    String signingInput = part(header) + "." + part(payload);
    return signingInput + "." + Secrets.base64Url(keys.sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
  }

  private static String part(JsonObject json) {
    return Secrets.base64Url(json.encode().getBytes(StandardCharsets.UTF_8));
  }
}
