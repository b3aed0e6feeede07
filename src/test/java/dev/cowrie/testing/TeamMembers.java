package dev.cowrie.testing;

import io.vertx.core.json.JsonObject;

/** Dashboard users for tests: invited into a merchant's team with a role, then signed in as a person would. */
public final class TeamMembers {
  public static final String PASSWORD = "dashboard pass 1";

  private TeamMembers() {}

  /** A signed-in team member: their id, name, role, access and refresh tokens. */
  public record Member(String id, String username, String role, String token, String refreshToken) {}

  /** Invites {@code username} with {@code role} using the merchant's secret key, and signs them in to test mode. */
  public static Member invite(TestGateway gateway, TestGateway.Merchant merchant, String username, String role) {
    TestHttp.Response created = gateway.post("/v1/team/members").bearer(merchant.secret())
        .json(new JsonObject().put("username", username).put("role", role).put("password", PASSWORD)).send();
    if (created.status() != 201) {
      throw new AssertionError("invitation failed: " + created);
    }
    return signIn(gateway, created.json().getString("id"), username, role);
  }

  public static Member signIn(TestGateway gateway, String id, String username, String role) {
    TestHttp.Response token = login(gateway, username, PASSWORD, null, "test");
    if (token.status() != 200) {
      throw new AssertionError("sign-in failed: " + token);
    }
    return new Member(id, username, role, token.json().getString("access_token"), token.json().getString("refresh_token"));
  }

  /** One sign-in attempt, as the dashboard's form sends it; {@code totpCode} null when not asked for. */
  public static TestHttp.Response login(TestGateway gateway, String username, String password, String totpCode, String mode) {
    JsonObject body = new JsonObject().put("username", username).put("password", password).put("mode", mode);
    if (totpCode != null) {
      body.put("totp_code", totpCode);
    }
    return gateway.post("/v1/auth/token").json(body).send();
  }
}
