package dev.cowrie.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TeamMembers;
import dev.cowrie.testing.TeamMembers.Member;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dashboard sign-in as people meet it: TOTP two-factor set up from the secret an app scans, a code
 * asked for at sign-in and good once, a lockout after repeated failures, owners kept out of live
 * mode until two-factor is on, and signing out everywhere.
 */
class TwoFactorTest {
  static TestGateway gateway;
  static TestGateway.Merchant merchant;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(TwoFactorTest.class, Map.of("COWRIE_AUTH_LOGIN_FAILURES_MAX", "3"));
    merchant = gateway.createMerchant("Two Factor Shop");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  /** Sets two-factor up and on for the member; answers the secret their app holds. */
  static byte[] turnOn(Member member) {
    Response setUp = gateway.post("/v1/auth/totp").bearer(member.token()).send();
    assertEquals(201, setUp.status(), setUp.toString());
    assertTrue(setUp.json().getString("otpauth_uri").startsWith("otpauth://totp/Cowrie"));
    byte[] secret = dev.cowrie.testing.TotpCodes.fromBase32(setUp.json().getString("secret"));
    Response wrong = gateway.post("/v1/auth/totp/enable").bearer(member.token()).json(new JsonObject().put("code", "000000")).send();
    assertEquals("invalid_totp", wrong.errorCode(), wrong.toString());
    Response on = gateway.post("/v1/auth/totp/enable").bearer(member.token()).json(new JsonObject().put("code", code(secret, 0))).send();
    assertEquals(200, on.status(), on.toString());
    gateway.clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS)); // the code just used is spent
    return secret;
  }

  /** The code of the step {@code offset} steps from the gateway's now. */
  static String code(byte[] secret, int offset) {
    String code = dev.cowrie.testing.TotpCodes.code(secret, gateway.clock, offset);
    assertEquals(Totp.code(secret, new Totp(gateway.clock).currentStep() + offset), code, "an app and the gateway agree");
    return code;
  }

  @Test
  void signInAsksForTheCodeAndTakesEachCodeOnce() {
    Member ada = TeamMembers.invite(gateway, merchant, "ada.totp", "developer");
    byte[] secret = turnOn(ada);

    Response noCode = TeamMembers.login(gateway, "ada.totp", TeamMembers.PASSWORD, null, "test");
    assertEquals(401, noCode.status());
    assertEquals("totp_required", noCode.errorCode());
    assertEquals("totp_code", noCode.json().getJsonObject("error").getString("param"));

    String current = code(secret, 0);
    Response signedIn = TeamMembers.login(gateway, "ada.totp", TeamMembers.PASSWORD, current, "test");
    assertEquals(200, signedIn.status(), signedIn.toString());
    assertEquals("developer", signedIn.json().getJsonObject("user").getString("role"));
    Response replay = TeamMembers.login(gateway, "ada.totp", TeamMembers.PASSWORD, current, "test");
    assertEquals("invalid_totp", replay.errorCode(), "a code is good once: " + replay);
    Response earlier = TeamMembers.login(gateway, "ada.totp", TeamMembers.PASSWORD, code(secret, -1), "test");
    assertEquals("invalid_totp", earlier.errorCode(), "an older step than one already used: " + earlier);
    Response nextStep = TeamMembers.login(gateway, "ada.totp", TeamMembers.PASSWORD, code(secret, 1), "test");
    assertEquals(200, nextStep.status(), "one step ahead (a clock a little fast): " + nextStep);
    gateway.clock.advance(Duration.ofSeconds(3L * Totp.STEP_SECONDS));
    Response tooFar = TeamMembers.login(gateway, "ada.totp", TeamMembers.PASSWORD, code(secret, 2), "test");
    assertEquals("invalid_totp", tooFar.errorCode(), tooFar.toString());

    Response off = gateway.post("/v1/auth/totp/disable").bearer(signedIn.json().getString("access_token"))
        .json(new JsonObject().put("code", code(secret, 0))).send();
    assertEquals(200, off.status(), off.toString());
    assertEquals(200, TeamMembers.login(gateway, "ada.totp", TeamMembers.PASSWORD, null, "test").status());
  }

  @Test
  void repeatedFailuresLockTheAccountEvenForTheRightPassword() {
    TeamMembers.invite(gateway, merchant, "bo.locked", "viewer");
    for (int i = 0; i < 3; i++) {
      assertEquals("invalid_credentials", TeamMembers.login(gateway, "bo.locked", "not the password", null, "test").errorCode());
    }
    Response locked = TeamMembers.login(gateway, "bo.locked", TeamMembers.PASSWORD, null, "test");
    assertEquals(403, locked.status(), locked.toString());
    assertEquals("account_locked", locked.errorCode());
    gateway.query("UPDATE users SET locked_until = now() - interval '1 second' WHERE username = 'bo.locked'"); // the wait is over
    assertEquals(200, TeamMembers.login(gateway, "bo.locked", TeamMembers.PASSWORD, null, "test").status());
  }

  @Test
  void ownersUseLiveModeOnlyWithTwoFactorOn() {
    Member owner = TeamMembers.invite(gateway, merchant, "olu.owner", "owner");
    Response refused = TeamMembers.login(gateway, "olu.owner", TeamMembers.PASSWORD, null, "live");
    assertEquals(403, refused.status(), refused.toString());
    assertEquals("two_factor_setup_required", refused.errorCode());
    byte[] secret = turnOn(owner);
    Response live = TeamMembers.login(gateway, "olu.owner", TeamMembers.PASSWORD, code(secret, 0), "live");
    assertEquals(200, live.status(), live.toString());
    assertEquals("live", live.json().getJsonObject("user").getString("mode"));
  }

  @Test
  void signingOutEverywhereEndsEverySession() {
    Member kim = TeamMembers.invite(gateway, merchant, "kim.everywhere", "support");
    Member kimOnLaptop = TeamMembers.signIn(gateway, kim.id(), kim.username(), kim.role());
    assertEquals(200, gateway.get("/v1/payments").bearer(kimOnLaptop.token()).send().status());
    Response out = gateway.post("/v1/auth/logout_all").bearer(kim.token()).send();
    assertEquals(200, out.status(), out.toString());
    assertEquals(401, gateway.get("/v1/payments").bearer(kim.token()).send().status());
    assertEquals(401, gateway.get("/v1/payments").bearer(kimOnLaptop.token()).send().status());
    Response refresh = gateway.post("/v1/auth/refresh").json(new JsonObject().put("refresh_token", kimOnLaptop.refreshToken())).send();
    assertEquals(401, refresh.status(), refresh.toString());
  }

  @Test
  void twoFactorIsEachPersonsOwn() {
    Response withKey = gateway.post("/v1/auth/totp").bearer(merchant.secret()).send();
    assertEquals(403, withKey.status(), withKey.toString());
    Member lee = TeamMembers.invite(gateway, merchant, "lee.twice", "viewer");
    assertEquals(201, gateway.post("/v1/auth/totp").bearer(lee.token()).send().status());
    Response notOn = gateway.post("/v1/auth/totp/disable").bearer(lee.token()).json(new JsonObject().put("code", "123456")).send();
    assertEquals(409, notOn.status(), notOn.toString());
  }
}
