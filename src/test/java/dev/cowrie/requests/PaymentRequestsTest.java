package dev.cowrie.requests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import dev.cowrie.testing.WalletUsers;
import dev.cowrie.testing.WalletUsers.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PaymentRequestsTest {
  static final String BECH32 = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
  static final String LEGACY = "1BoatSLRHtKNngkdXEeobR76b53LETtpyT";
  static TestGateway gateway;
  static TestGateway.Merchant merchant;
  static User alice;
  static User bob;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(PaymentRequestsTest.class, Map.of("COWRIE_RATE_LIMIT_PER_KEY_PER_SECOND", "5000",
        "COWRIE_RATE_LIMIT_PER_KEY_BURST", "5000"));
    merchant = gateway.createMerchant("Requests Shop");
    alice = WalletUsers.create(gateway, merchant, "alice");
    bob = WalletUsers.create(gateway, merchant, "bob");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static JsonObject request(User payee, long amount, String description, String address) {
    JsonObject body = new JsonObject().put("amount", amount).put("currency", "USD").put("description", description)
        .put("expires_at", Instant.now().plus(1, ChronoUnit.DAYS).toString())
        .put("accepts", new JsonArray().add(new JsonObject().put("method", "BTC").put("address", address)));
    Response created = gateway.post("/v1/payment_requests").bearer(payee.token()).json(body).send();
    assertEquals(201, created.status(), created.toString());
    return created.json();
  }

  static JsonObject verify(User caller, String encoded) {
    Response verified = gateway.post("/v1/payment_requests/verify").bearer(caller.token())
        .json(new JsonObject().put("encoded_message", encoded)).send();
    assertEquals(200, verified.status(), verified.toString());
    return verified.json();
  }

  @Test
  void aTypicalRequestFitsIn160CharactersAndRoundTrips() {
    for (String address : List.of(BECH32, LEGACY)) {
      JsonObject created = request(alice, 2500, "Lunch split", address);
      String encoded = created.getString("encoded_message");
      assertTrue(encoded.length() <= 160, encoded.length() + " chars: " + encoded);
      assertTrue(encoded.matches("[A-Za-z0-9_-]+"), encoded);
      assertTrue(created.getString("id").startsWith("preq_"));
      assertEquals(gateway.config.publicUrl() + "/pay/" + encoded, created.getString("pay_url"));
      assertEquals("open", created.getString("status"));

      JsonObject verified = verify(bob, encoded);
      assertEquals(true, verified.getBoolean("valid"), verified.encode());
      assertEquals("request", verified.getString("kind"));
      assertEquals("open", verified.getString("status"));
      JsonObject decoded = verified.getJsonObject("decoded");
      assertEquals(2500, decoded.getLong("amount"));
      assertEquals("USD", decoded.getString("currency"));
      assertEquals("Lunch split", decoded.getString("description"));
      assertEquals(Instant.parse(created.getString("expires_at")), Instant.parse(decoded.getString("expires_at")));
      assertEquals(address, decoded.getJsonArray("accepts").getJsonObject(0).getString("address"));
      assertEquals(created.getString("id"), decoded.getString("payment_request"));
    }
  }

  @Test
  void everySingleBitFlipIsRejected() {
    String encoded = request(alice, 2500, "Bits", BECH32).getString("encoded_message");
    byte[] bytes = Base64.getUrlDecoder().decode(encoded);
    List<Future<Response>> answers = new ArrayList<>();
    List<String> flips = new ArrayList<>();
    for (int bit = 0; bit < bytes.length * 8; bit++) {
      byte[] flipped = bytes.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      flips.add(Base64.getUrlEncoder().withoutPadding().encodeToString(flipped));
    }
    for (int from = 0; from < flips.size(); from += 64) {
      answers.clear();
      for (String flip : flips.subList(from, Math.min(flips.size(), from + 64))) {
        answers.add(gateway.post("/v1/payment_requests/verify").bearer(bob.token())
            .json(new JsonObject().put("encoded_message", flip)).sendAsync());
      }
      for (Future<Response> answer : answers) {
        Response response = TestGateway.await(answer);
        assertEquals(200, response.status(), response.toString());
        assertEquals(false, response.json().getBoolean("valid"), response.toString());
        assertTrue(List.of("bad_signature", "unknown_key", "unsupported_version").contains(response.json().getString("reason")),
            response.toString());
      }
    }
    assertEquals(bytes.length * 8, flips.size());
    assertEquals(true, verify(bob, encoded).getBoolean("valid"));
  }

  @Test
  void expiredWrongKeyForeignAndGarbageAreInvalidWithAReason() throws Exception {
    JsonObject created = request(alice, 900, "Old", LEGACY);
    SigningKeys keys = new SigningKeys(gateway.sql, gateway.config.masterKey());
    TestGateway.await(keys.load());
    Envelope.Opened opened = Envelope.open(created.getString("encoded_message"), keys);
    Payloads.Request original = Payloads.readRequest(opened.body());
    long past = Payloads.roundExpiry(Instant.now().minus(1, ChronoUnit.HOURS).getEpochSecond());
    Payloads.Request stale = new Payloads.Request(original.ref(), 900, "USD", past, "Old", original.accepts());
    String expired = Envelope.seal(Envelope.KIND_REQUEST, keys.active().kidBytes(), Payloads.write(stale), keys::sign);
    JsonObject expiredAnswer = verify(bob, expired);
    assertEquals(false, expiredAnswer.getBoolean("valid"));
    assertEquals("expired", expiredAnswer.getString("reason"));

    var foreignKey = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Envelope.Signer foreignSigner = data -> {
      try {
        Signature signature = Signature.getInstance("Ed25519");
        signature.initSign(foreignKey.getPrivate());
        signature.update(data);
        return signature.sign();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    String wrongKey = Envelope.seal(Envelope.KIND_REQUEST, keys.active().kidBytes(), Payloads.write(original), foreignSigner);
    assertEquals("bad_signature", verify(bob, wrongKey).getString("reason"));
    byte[] otherKid = keys.active().kidBytes().clone();
    otherKid[0] ^= 0x55;
    String unknownKid = Envelope.seal(Envelope.KIND_REQUEST, otherKid, Payloads.write(original), foreignSigner);
    assertEquals("unknown_key", verify(bob, unknownKid).getString("reason"));

    TestGateway.Merchant other = gateway.createMerchant("Other Shop");
    User mallory = WalletUsers.create(gateway, other, "mallory");
    JsonObject foreign = verify(mallory, created.getString("encoded_message"));
    assertEquals(false, foreign.getBoolean("valid"));
    assertEquals("unknown_request", foreign.getString("reason"));
    assertEquals(404, gateway.get("/v1/payment_requests/" + created.getString("id")).bearer(mallory.token()).send().status());

    String good = created.getString("encoded_message");
    Map<String, String> garbage = Map.of(
        "!!!not base64!!!", "malformed",
        good.substring(0, 50), "truncated",
        Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(Base64.getUrlDecoder().decode(good),
            Base64.getUrlDecoder().decode(good).length - 7)), "bad_signature",
        "A".repeat(5000), "malformed",
        Base64.getUrlEncoder().withoutPadding().encodeToString("hello world, this is not a cowrie message at all, just text!!".repeat(2)
            .getBytes(StandardCharsets.UTF_8)), "unsupported_version");
    garbage.forEach((text, reason) -> {
      JsonObject answer = verify(bob, text);
      assertEquals(false, answer.getBoolean("valid"), text);
      assertEquals(reason, answer.getString("reason"), text);
    });
    Response number = gateway.post("/v1/payment_requests/verify").bearer(bob.token())
        .json(new JsonObject().put("encoded_message", 12345)).send();
    assertEquals(200, number.status(), number.toString());
    assertEquals(false, number.json().getBoolean("valid"));

    // A request past its expiry takes no more claims.
    gateway.query("UPDATE payment_requests SET expires_at = now() - interval '1 minute' WHERE id = $1", created.getString("id"));
    Response late = gateway.post("/v1/payment_requests/" + created.getString("id") + "/sent").bearer(bob.token())
        .json(new JsonObject().put("paid_amount", 900)).send();
    assertEquals(409, late.status(), late.toString());
  }

  @Test
  void partialThenFullPaymentOnlyTheAcknowledgmentCountsAndOnlyOnce() throws Exception {
    JsonObject created = request(alice, 10_000, "Rent share", BECH32);
    String id = created.getString("id");
    Response claim = gateway.post("/v1/payment_requests/" + id + "/sent").bearer(bob.token())
        .json(new JsonObject().put("paid_amount", 4000).put("proof", "txid:4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b")).send();
    assertEquals(201, claim.status(), claim.toString());
    String confirmation = claim.json().getString("confirmation_message");
    JsonObject claimed = verify(alice, confirmation);
    assertEquals(true, claimed.getBoolean("valid"), claimed.encode());
    assertEquals("confirmation", claimed.getString("kind"));
    assertEquals("open", claimed.getString("status"));
    assertEquals(false, claimed.getBoolean("acknowledged"));
    assertEquals(0, gateway.get("/v1/payment_requests/" + id).bearer(alice.token()).send().json().getLong("paid_amount"));

    assertEquals(403, gateway.post("/v1/payment_requests/received").bearer(bob.token())
        .json(new JsonObject().put("encoded_message", confirmation)).send().status());
    Response first = gateway.post("/v1/payment_requests/received").bearer(alice.token())
        .json(new JsonObject().put("encoded_message", confirmation)).send();
    assertEquals(200, first.status(), first.toString());
    assertEquals("partially_paid", first.json().getString("status"));
    assertEquals(4000, first.json().getLong("paid_amount"));
    for (int i = 0; i < 3; i++) {
      Response again = gateway.post("/v1/payment_requests/received").bearer(alice.token())
          .json(new JsonObject().put("encoded_message", confirmation)).send();
      assertEquals(200, again.status());
      assertEquals(4000, again.json().getLong("paid_amount"));
      assertEquals(false, again.json().getBoolean("counted"));
      assertEquals(first.json().getString("certificate"), again.json().getString("certificate"));
    }
    String rest = gateway.post("/v1/payment_requests/" + id + "/sent").bearer(bob.token())
        .json(new JsonObject().put("paid_amount", 6000)).send().json().getString("confirmation_message");
    Response full = gateway.post("/v1/payment_requests/received").bearer(alice.token())
        .json(new JsonObject().put("encoded_message", rest)).send();
    assertEquals("paid", full.json().getString("status"));
    assertEquals(10_000, full.json().getLong("paid_amount"));
    assertEquals("paid", gateway.get("/v1/payment_requests/" + id).bearer(alice.token()).send().json().getString("status"));
    assertEquals(2, gateway.query("SELECT count(*) AS n FROM events WHERE type = 'payment_request.confirmed' AND data->'object'->>'id' = $1", id)
        .iterator().next().getLong("n"));

    JsonObject payload = checkCertificate(full.json().getString("certificate"));
    JsonObject subject = payload.getJsonObject("vc").getJsonObject("credentialSubject");
    assertEquals("bob", subject.getString("payer"));
    assertEquals("alice", subject.getString("payee"));
    assertEquals(6000, subject.getJsonObject("paid").getLong("amount"));
    assertEquals(id, subject.getString("payment_request"));
    assertTrue(payload.getJsonObject("vc").getJsonArray("type").contains("VerifiableCredential"));
  }

  @Test
  void aMerchantCanAskAndAcknowledgeWithItsSecretKey() throws Exception {
    Response created = gateway.post("/v1/payment_requests").bearer(merchant.secret())
        .json(new JsonObject().put("amount", 800).put("currency", "KES").put("description", "Invoice 7")).send();
    assertEquals(201, created.status(), created.toString());
    assertEquals(merchant.id(), created.json().getString("payee"));
    Response claim = gateway.post("/v1/payment_requests/" + created.json().getString("id") + "/sent").bearer(merchant.secret())
        .json(new JsonObject().put("paid_amount", 800).put("payer", "walk-in customer")).send();
    assertEquals(201, claim.status(), claim.toString());
    Response acknowledged = gateway.post("/v1/payment_requests/received").bearer(merchant.secret())
        .json(new JsonObject().put("encoded_message", claim.json().getString("confirmation_message"))).send();
    assertEquals("paid", acknowledged.json().getString("status"), acknowledged.toString());
    JsonObject subject = checkCertificate(acknowledged.json().getString("certificate")).getJsonObject("vc").getJsonObject("credentialSubject");
    assertEquals("walk-in customer", subject.getString("payer"));
    // A request message is not a confirmation: acknowledging it is refused with the reason.
    Response wrong = gateway.post("/v1/payment_requests/received").bearer(merchant.secret())
        .json(new JsonObject().put("encoded_message", created.json().getString("encoded_message"))).send();
    assertEquals(400, wrong.status());
    assertEquals("wrong_kind", wrong.json().getJsonObject("error").getString("reason"));
  }

  /**
   * A small PNG whose header claims a huge image is refused from its header, before any pixel
   * memory is allocated (20000 x 20000 RGBA would be 1.6 GB).
   */
  @Test
  void aPngClaimingHugeDimensionsIsRefusedBeforeDecoding() throws Exception {
    Response verified = gateway.post("/v1/payment_requests/verify").bearer(bob.token())
        .json(new JsonObject().put("qr_png", Base64.getEncoder().encodeToString(hugePng(20_000, 20_000)))).send();
    assertEquals(400, verified.status(), verified.toString()); // a bound on input, like a body over 64 KiB
    assertEquals("qr_png", verified.json().getJsonObject("error").getString("param"));
    assertTrue(verified.toString().contains("pixels a side"), verified.toString());
  }

  static byte[] hugePng(int width, int height) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height)
        .put((byte) 8).put((byte) 6).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", header.array());
    java.io.ByteArrayOutputStream deflated = new java.io.ByteArrayOutputStream();
    try (java.util.zip.DeflaterOutputStream zip = new java.util.zip.DeflaterOutputStream(deflated)) {
      zip.write(new byte[4096]);
    }
    chunk(out, "IDAT", deflated.toByteArray());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  static void chunk(java.io.ByteArrayOutputStream out, String type, byte[] data) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    crc.update(data);
    out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    out.writeBytes(data);
    out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  /** Checks a VC-JWT against the public JWKS as any outsider would; answers its payload. */
  static JsonObject checkCertificate(String jwt) throws Exception {
    String[] parts = jwt.split("\\.");
    assertEquals(3, parts.length);
    JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
    assertEquals("EdDSA", header.getString("alg"));
    Response jwks = gateway.get("/v1/.well-known/cowrie-keys").send();
    assertEquals(200, jwks.status());
    JsonObject jwk = jwks.json().getJsonArray("keys").stream().map(JsonObject.class::cast)
        .filter(key -> key.getString("kid").equals(header.getString("kid"))).findFirst().orElseThrow();
    assertEquals("OKP", jwk.getString("kty"));
    assertEquals("Ed25519", jwk.getString("crv"));
    byte[] x509 = HexFormat.of().parseHex("302a300506032b6570032100" + HexFormat.of().formatHex(Base64.getUrlDecoder().decode(jwk.getString("x"))));
    Signature verifier = Signature.getInstance("Ed25519");
    verifier.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509)));
    verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertTrue(verifier.verify(Base64.getUrlDecoder().decode(parts[2])), "certificate signature");
    return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
  }

  @Test
  void qrCodeRoundTripsThroughVerify() {
    JsonObject created = request(alice, 1234, "QR", LEGACY);
    Response png = gateway.get("/v1/payment_requests/" + created.getString("id") + "/qr.png").bearer(alice.token()).send();
    assertEquals(200, png.status(), png.toString());
    assertEquals("image/png", png.header("Content-Type"));
    Response verified = gateway.post("/v1/payment_requests/verify").bearer(bob.token())
        .json(new JsonObject().put("qr_png", Base64.getEncoder().encodeToString(png.body().getBytes()))).send();
    assertEquals(200, verified.status(), verified.toString());
    assertEquals(true, verified.json().getBoolean("valid"), verified.toString());
    assertEquals(1234, verified.json().getJsonObject("decoded").getLong("amount"));
    JsonObject garbage = gateway.post("/v1/payment_requests/verify").bearer(bob.token())
        .json(new JsonObject().put("qr_png", Base64.getEncoder().encodeToString("not a png".getBytes()))).send().json();
    assertEquals(false, garbage.getBoolean("valid"));
    assertEquals("unreadable_qr", garbage.getString("reason"));
    Response preview = gateway.get(created.getString("pay_url").substring(gateway.config.publicUrl().length())).send();
    assertEquals(200, preview.status(), preview.toString());
    assertEquals(true, preview.json().getBoolean("valid"));
  }

  @Test
  void rotationKeepsOldMessagesVerifiableAndSignsNewOnesWithTheNewKey() {
    JsonObject before = request(alice, 700, "Before", BECH32);
    Response rotated = gateway.post("/v1/admin/signing_keys/rotate").bearer(gateway.adminToken).send();
    assertEquals(200, rotated.status(), rotated.toString());
    JsonObject after = request(alice, 700, "After", BECH32);
    assertNotEquals(before.getString("kid"), after.getString("kid"));
    assertEquals(rotated.json().getString("active"), after.getString("kid"));
    assertTrue(gateway.get("/v1/.well-known/cowrie-keys").send().json().getJsonArray("keys").size() >= 2);
    assertEquals(true, verify(bob, before.getString("encoded_message")).getBoolean("valid"));
    assertEquals(true, verify(bob, after.getString("encoded_message")).getBoolean("valid"));
    // The private key is sealed at rest: its PKCS#8 bytes appear nowhere in the table.
    assertFalse(gateway.query("SELECT count(*) AS n FROM signing_keys WHERE position('\\x302e020100300506032b6570'::bytea in sealed_key) > 0")
        .iterator().next().getLong("n") > 0);
  }

  @Test
  void longDescriptionsAreDeflatedAndBadAmountsRefused() throws Exception {
    String description = "Monthly contribution for the savings circle, monthly contribution for the savings circle, thanks!";
    JsonObject created = request(alice, 5000, description, BECH32);
    byte[] bytes = Base64.getUrlDecoder().decode(created.getString("encoded_message"));
    assertTrue((bytes[0] & 0x04) != 0, "deflate flag");
    assertEquals(description, verify(bob, created.getString("encoded_message")).getJsonObject("decoded").getString("description"));
    for (Object amount : List.of(-5, 0, 12.5, "100", new java.math.BigInteger("99999999999999999999999"))) {
      Response bad = gateway.post("/v1/payment_requests").bearer(alice.token())
          .json(new JsonObject().put("amount", amount).put("currency", "USD")).send();
      assertEquals(400, bad.status(), amount + " → " + bad);
      assertEquals("invalid_amount", bad.errorCode());
    }
    Response badAddress = gateway.post("/v1/payment_requests").bearer(alice.token()).json(new JsonObject().put("amount", 5)
        .put("currency", "USD").put("accepts", new JsonArray().add(new JsonObject().put("method", "BTC").put("address", "bc1qnotvalid")))).send();
    assertEquals(400, badAddress.status());
  }
}
