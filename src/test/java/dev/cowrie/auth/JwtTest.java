package dev.cowrie.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.common.Secrets;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Dashboard and wallet logins, and the forged tokens a JWT verifier must refuse. */
class JwtTest {
  private static final String SECRET = "jwt-test-secret-" + Secrets.randomToken(16);
  static TestGateway gateway;
  static TestGateway.Merchant merchant;
  static String userId;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(JwtTest.class, Map.of("COWRIE_AUTH_JWT_SECRET", SECRET));
    merchant = gateway.createMerchant("Jwt Shop");
    Response user = gateway.post("/v1/admin/users").bearer(gateway.adminToken)
        .json(new JsonObject().put("merchant", merchant.id()).put("username", "ada.dash").put("password", "correct horse 1"))
        .send();
    assertEquals(201, user.status(), user.toString());
    userId = user.json().getString("id");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static Response login(String username, String password) {
    return gateway.post("/v1/auth/token").json(new JsonObject().put("username", username).put("password", password)).send();
  }

  @Test
  void dashboardUserLogsInAndTheTokenWorksOnMerchantRoutes() {
    Response token = login("ada.dash", "correct horse 1");
    assertEquals(200, token.status(), token.toString());
    assertEquals("Bearer", token.json().getString("token_type"));
    assertTrue(token.json().getInteger("expires_in") > 0);
    assertTrue(token.json().getString("refresh_token").startsWith("rt_"));
    Response keys = gateway.get("/v1/api_keys").bearer(token.json().getString("access_token")).send();
    assertEquals(200, keys.status(), keys.toString());
    assertEquals(2, keys.data().size());
  }

  @Test
  void wrongPasswordIsRefused() {
    Response wrong = login("ada.dash", "wrong password");
    assertEquals(401, wrong.status());
    assertEquals("invalid_credentials", wrong.errorCode());
  }

  @Test
  void aTokenForgedWithTheRightSecretWorksSoTheRefusalsBelowAreAboutTheirFlaw() {
    String token = sign("HS256", "HmacSHA256", claims(System.currentTimeMillis() / 1000 + 600));
    assertEquals(200, gateway.get("/v1/api_keys").bearer(token).send().status());
  }

  @Test
  void expiredTokenIsRefused() {
    String token = sign("HS256", "HmacSHA256", claims(System.currentTimeMillis() / 1000 - 3600));
    assertInvalidToken(gateway.get("/v1/api_keys").bearer(token).send());
  }

  @Test
  void algNoneIsRefused() {
    String header = b64(new JsonObject().put("alg", "none").put("typ", "JWT").encode());
    String payload = b64(claims(System.currentTimeMillis() / 1000 + 600).encode());
    assertInvalidToken(gateway.get("/v1/api_keys").bearer(header + "." + payload + ".").send());
    assertInvalidToken(gateway.get("/v1/api_keys").bearer(header + "." + payload + "." + b64("x")).send());
  }

  @Test
  void otherAlgorithmWithTheSameSecretIsRefused() {
    String token = sign("HS512", "HmacSHA512", claims(System.currentTimeMillis() / 1000 + 600));
    assertInvalidToken(gateway.get("/v1/api_keys").bearer(token).send());
  }

  @Test
  void tamperedPayloadIsRefused() {
    String real = login("ada.dash", "correct horse 1").json().getString("access_token");
    String[] parts = real.split("\\.");
    JsonObject payload = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    payload.put("mode", "live");
    assertInvalidToken(gateway.get("/v1/api_keys").bearer(parts[0] + "." + b64(payload.encode()) + "." + parts[2]).send());
  }

  @Test
  void walletUserTokenIsRefusedOnSecretKeyRoutes() {
    Response created = gateway.post("/v1/users").bearer(merchant.publishable())
        .json(new JsonObject().put("username", "wally").put("password", "wallet pass 1")).send();
    assertEquals(201, created.status(), created.toString());
    Response token = gateway.post("/v1/auth/token").json(new JsonObject().put("username", "wally")
        .put("password", "wallet pass 1").put("publishable_key", merchant.publishable())).send();
    assertEquals(200, token.status(), token.toString());
    String access = token.json().getString("access_token");
    assertNotNull(access);
    assertEquals(merchant.id(), token.json().getJsonObject("user").getString("merchant"));

    Response keys = gateway.get("/v1/api_keys").bearer(access).send();
    assertEquals(403, keys.status(), keys.toString());
    assertEquals("permission_denied", keys.errorCode());
    Response admin = gateway.get("/v1/admin/merchants").bearer(access).send();
    assertEquals(403, admin.status(), admin.toString());

    // Without the publishable key the same name is looked up among dashboard users: no such user.
    Response asDashboard = login("wally", "wallet pass 1");
    assertEquals(401, asDashboard.status());
  }

  private static void assertInvalidToken(Response response) {
    assertEquals(401, response.status(), response.toString());
    assertEquals("invalid_token", response.errorCode());
  }

  private static JsonObject claims(long exp) {
    return new JsonObject().put("mer", merchant.id()).put("mode", "test").put("kind", "dashboard")
        .put("usr", "ada.dash").put("role", "owner").put("typ", "access").put("sub", userId).put("iss", "cowrie")
        .put("iat", exp - 900).put("exp", exp);
  }

  private static String sign(String alg, String macAlgorithm, JsonObject claims) {
    String signingInput = b64(new JsonObject().put("alg", alg).put("typ", "JWT").encode()) + "." + b64(claims.encode());
    byte[] signature = Secrets.hmac(macAlgorithm, SECRET.getBytes(StandardCharsets.UTF_8),
        signingInput.getBytes(StandardCharsets.UTF_8));
    return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
  }

  private static String b64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
