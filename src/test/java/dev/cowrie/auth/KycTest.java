package dev.cowrie.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.cli.AdminCli;
import dev.cowrie.testing.TeamMembers;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Profile and KYC as a merchant and the operator live them: details, documents checked by their
 * bytes, submission, the operator's review with the CLI, and live mode locked until verified.
 */
class KycTest {
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(KycTest.class);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static JsonObject details() {
    return new JsonObject().put("legal_name", "Ada Stores Limited").put("trading_name", "Ada Stores").put("country", "NG")
        .put("registration_number", "RC 123456").put("address", "1 Marina, Lagos").put("website", "https://ada.example")
        .put("support_email", "help@ada.example");
  }

  static Response upload(TestGateway.Merchant merchant, String kind, String filename, String claimedType, Buffer content) {
    return gateway.post("/v1/profile/documents").bearer(merchant.secret())
        .multipart(Map.of("kind", kind), "file", filename, claimedType, content).send();
  }

  static int cli(String... args) {
    return AdminCli.run(gateway.config, args);
  }

  @Test
  void liveModeIsLockedUntilTheOperatorApproves() {
    TestGateway.Merchant merchant = gateway.createMerchant("Kyc Shop");
    assertEquals("unverified", gateway.get("/v1/profile").bearer(merchant.secret()).send().json().getString("kyc_status"));
    Response liveKey = gateway.post("/v1/admin/merchants/" + merchant.id() + "/api_keys").bearer(gateway.adminToken)
        .json(new JsonObject().put("mode", "live")).send();
    assertEquals(403, liveKey.status(), liveKey.toString());
    assertEquals("kyc_required", liveKey.errorCode());
    assertEquals(1, cli("apikey", "create", "--merchant", merchant.id(), "--mode", "live"), "the CLI is locked out too");

    // A live key made before KYC existed opens nothing that moves money.
    String legacy = TestGateway.await(ApiKeysBackdoor.legacyLiveKey(gateway, merchant.id()));
    Response payment = gateway.post("/v1/payments").bearer(legacy).json(new JsonObject().put("amount", 1000).put("currency", "NGN")).send();
    assertEquals("kyc_required", payment.errorCode(), payment.toString());
    Response connection = gateway.put("/v1/provider_connections/paystack").bearer(legacy)
        .json(new JsonObject().put("credentials", new JsonObject().put("secret_key", "sk_live_abc123"))).send();
    assertEquals("kyc_required", connection.errorCode(), connection.toString());
    Response mint = gateway.post("/v1/api_keys").bearer(legacy).json(new JsonObject()).send();
    assertEquals("kyc_required", mint.errorCode(), mint.toString());

    Response early = gateway.post("/v1/profile/submit").bearer(merchant.secret()).send();
    assertEquals(400, early.status());
    assertEquals("legal_name", early.json().getJsonObject("error").getString("param"));
    assertEquals(200, gateway.put("/v1/profile").bearer(merchant.secret()).json(details()).send().status());
    Response noDocument = gateway.post("/v1/profile/submit").bearer(merchant.secret()).send();
    assertEquals("documents", noDocument.json().getJsonObject("error").getString("param"), noDocument.toString());
    assertEquals(201, upload(merchant, "registration_certificate", "cert.png", "image/png", TestGateway.TINY_PNG).status());
    Response submitted = gateway.post("/v1/profile/submit").bearer(merchant.secret()).send();
    assertEquals("submitted", submitted.json().getString("kyc_status"), submitted.toString());
    assertEquals(409, gateway.put("/v1/profile").bearer(merchant.secret()).json(details()).send().status(), "frozen under review");

    assertEquals(0, cli("kyc", "list"));
    assertEquals(0, cli("kyc", "show", merchant.id()));
    assertEquals(0, cli("kyc", "reject", merchant.id(), "--reason", "The certificate is unreadable."));
    JsonObject rejected = gateway.get("/v1/profile").bearer(merchant.secret()).send().json();
    assertEquals("rejected", rejected.getString("kyc_status"));
    assertEquals("The certificate is unreadable.", rejected.getString("kyc_reason"));
    assertEquals(1, cli("kyc", "approve", merchant.id()), "only a submitted profile is reviewed");

    assertEquals(201, upload(merchant, "registration_certificate", "cert-clear.png", "image/png", TestGateway.TINY_PNG).status());
    assertEquals(200, gateway.post("/v1/profile/submit").bearer(merchant.secret()).send().status());
    assertEquals(0, cli("kyc", "approve", merchant.id()));
    assertEquals("verified", gateway.get("/v1/profile").bearer(merchant.secret()).send().json().getString("kyc_status"));

    assertEquals(201, gateway.post("/v1/admin/merchants/" + merchant.id() + "/api_keys").bearer(gateway.adminToken)
        .json(new JsonObject().put("mode", "live")).send().status());
    Response livePayment = gateway.post("/v1/payments").bearer(legacy).json(new JsonObject().put("amount", 1000).put("currency", "NGN")).send();
    assertNotEquals("kyc_required", livePayment.errorCode(), livePayment.toString());
    Response renamed = gateway.put("/v1/profile").bearer(merchant.secret()).json(details().put("legal_name", "Someone Else Ltd")).send();
    assertEquals(409, renamed.status(), "the verified identity is fixed: " + renamed);
    assertEquals("legal_name", renamed.json().getJsonObject("error").getString("param"));
    assertEquals(200, gateway.put("/v1/profile").bearer(merchant.secret()).json(details().put("website", "https://ada.shop")).send().status());
  }

  @Test
  void documentsAreCheckedByTheirBytesAndSize() {
    TestGateway.Merchant merchant = gateway.createMerchant("Docs Shop");
    Response disguised = upload(merchant, "other", "evil.png", "image/png", Buffer.buffer("<script>alert(1)</script>"));
    assertEquals(415, disguised.status(), disguised.toString());
    assertEquals("file", disguised.json().getJsonObject("error").getString("param"));
    byte[] big = new byte[5 * 1024 * 1024 + 1];
    big[0] = '%'; big[1] = 'P'; big[2] = 'D'; big[3] = 'F'; big[4] = '-';
    Response tooBig = upload(merchant, "other", "big.pdf", "application/pdf", Buffer.buffer(big));
    assertEquals(400, tooBig.status(), tooBig.toString());
    assertEquals("file", tooBig.json().getJsonObject("error").getString("param"));
    Response badKind = upload(merchant, "selfie", "a.png", "image/png", TestGateway.TINY_PNG);
    assertEquals("kind", badKind.json().getJsonObject("error").getString("param"));
    Response notMultipart = gateway.post("/v1/profile/documents").bearer(merchant.secret()).json(new JsonObject()).send();
    assertEquals(400, notMultipart.status(), notMultipart.toString());
    Response badCountry = gateway.put("/v1/profile").bearer(merchant.secret()).json(details().put("country", "XX")).send();
    assertEquals("country", badCountry.json().getJsonObject("error").getString("param"));
    assertEquals(0, gateway.get("/v1/profile").bearer(merchant.secret()).send().json().getJsonArray("documents").size());

    // A real PDF claimed as a PNG is stored as what it is.
    byte[] pdf = "%PDF-1.4\n%fake but magic\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Response stored = upload(merchant, "proof_of_address", "bill.png", "image/png", Buffer.buffer(pdf));
    assertEquals(201, stored.status(), stored.toString());
    assertEquals("application/pdf", stored.json().getString("content_type"));
  }

  @Test
  void documentsGoBackOnlyToTheOwnerAndTheOperator() {
    TestGateway.Merchant merchant = gateway.createMerchant("Private Docs");
    String id = upload(merchant, "identity_document", "passport.png", "image/png", TestGateway.TINY_PNG).json().getString("id");
    Response mine = gateway.get("/v1/profile/documents/" + id).bearer(merchant.secret()).send();
    assertEquals(200, mine.status());
    assertArrayEquals(TestGateway.TINY_PNG.getBytes(), mine.body().getBytes());
    assertEquals("image/png", mine.header("Content-Type"));
    assertTrue(mine.header("Content-Disposition").startsWith("attachment"));
    Response operator = gateway.get("/v1/admin/merchants/" + merchant.id() + "/documents/" + id).bearer(gateway.adminToken).send();
    assertArrayEquals(TestGateway.TINY_PNG.getBytes(), operator.body().getBytes());

    var developer = TeamMembers.invite(gateway, merchant, "dev.docs", "developer");
    assertEquals(403, gateway.get("/v1/profile/documents/" + id).bearer(developer.token()).send().status());
    assertEquals(200, gateway.get("/v1/profile").bearer(developer.token()).send().status(), "the details are not secret to the team");
    TestGateway.Merchant other = gateway.createMerchant("Nosy Shop");
    assertEquals(404, gateway.get("/v1/profile/documents/" + id).bearer(other.secret()).send().status());
  }
}
