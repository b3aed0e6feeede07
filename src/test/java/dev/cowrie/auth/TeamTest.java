package dev.cowrie.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TeamMembers;
import dev.cowrie.testing.TeamMembers.Member;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The team API: an owner invites, re-roles and removes members; a merchant keeps an owner; changes end sessions. */
class TeamTest {
  static TestGateway gateway;
  static TestGateway.Merchant merchant;
  static Member owner;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(TeamTest.class);
    merchant = gateway.createMerchant("Team Shop");
    owner = TeamMembers.invite(gateway, merchant, "owen.owner", "owner");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void anOwnerInvitesWithAGeneratedPasswordShownOnce() {
    Response invited = gateway.post("/v1/team/members").bearer(owner.token())
        .json(new JsonObject().put("username", "tess.support").put("role", "support")).send();
    assertEquals(201, invited.status(), invited.toString());
    String temporary = invited.json().getString("temporary_password");
    assertNotNull(temporary);
    Response list = gateway.get("/v1/team/members").bearer(owner.token()).send();
    assertTrue(list.data().stream().map(JsonObject.class::cast).anyMatch(member ->
        member.getString("username").equals("tess.support") && member.getString("role").equals("support")
            && !member.containsKey("temporary_password")), list.toString());
    Response signedIn = TeamMembers.login(gateway, "tess.support", temporary, null, "test");
    assertEquals(200, signedIn.status(), signedIn.toString());
    assertEquals("support", signedIn.json().getJsonObject("user").getString("role"));
  }

  @Test
  void aRoleChangeSignsTheMemberOutAndTheNextSignInCarriesTheNewRole() {
    Member dev = TeamMembers.invite(gateway, merchant, "dee.dev", "developer");
    assertEquals(200, gateway.get("/v1/api_keys").bearer(dev.token()).send().status());
    Response changed = gateway.request(io.vertx.core.http.HttpMethod.PATCH, "/v1/team/members/" + dev.id()).bearer(owner.token())
        .json(new JsonObject().put("role", "viewer")).send();
    assertEquals(200, changed.status(), changed.toString());
    assertEquals("viewer", changed.json().getString("role"));
    assertEquals(401, gateway.get("/v1/api_keys").bearer(dev.token()).send().status(), "the old token carried the old role");
    Member again = TeamMembers.signIn(gateway, dev.id(), dev.username(), "viewer");
    assertEquals(403, gateway.get("/v1/api_keys").bearer(again.token()).send().status());
  }

  @Test
  void aRemovedMemberIsOutAtOnce() {
    Member gone = TeamMembers.invite(gateway, merchant, "gil.gone", "support");
    Response removed = gateway.delete("/v1/team/members/" + gone.id()).bearer(owner.token()).send();
    assertEquals(200, removed.status(), removed.toString());
    assertEquals(401, gateway.get("/v1/payments").bearer(gone.token()).send().status());
    assertEquals(401, TeamMembers.login(gateway, "gil.gone", TeamMembers.PASSWORD, null, "test").status());
    assertEquals(404, gateway.delete("/v1/team/members/" + gone.id()).bearer(owner.token()).send().status());
  }

  @Test
  void theLastOwnerStaysAnOwner() {
    TestGateway.Merchant solo = gateway.createMerchant("Solo Shop");
    Member only = TeamMembers.invite(gateway, solo, "sol.only", "owner");
    Response demote = gateway.request(io.vertx.core.http.HttpMethod.PATCH, "/v1/team/members/" + only.id()).bearer(solo.secret())
        .json(new JsonObject().put("role", "viewer")).send();
    assertEquals(409, demote.status(), demote.toString());
    assertEquals("invalid_state", demote.errorCode());
    assertEquals(409, gateway.delete("/v1/team/members/" + only.id()).bearer(solo.secret()).send().status());
    Member second = TeamMembers.invite(gateway, solo, "sol.second", "owner");
    assertEquals(200, gateway.delete("/v1/team/members/" + only.id()).bearer(second.token()).send().status());
  }

  @Test
  void badInputNamesItsFieldAndOtherMerchantsMembersAre404() {
    Response badRole = gateway.post("/v1/team/members").bearer(owner.token())
        .json(new JsonObject().put("username", "x.bad").put("role", "admin")).send();
    assertEquals(400, badRole.status());
    assertEquals("role", badRole.json().getJsonObject("error").getString("param"));
    Response shortPassword = gateway.post("/v1/team/members").bearer(owner.token())
        .json(new JsonObject().put("username", "x.short").put("role", "viewer").put("password", "short")).send();
    assertEquals("password", shortPassword.json().getJsonObject("error").getString("param"));
    Response taken = gateway.post("/v1/team/members").bearer(owner.token())
        .json(new JsonObject().put("username", "owen.owner").put("role", "viewer")).send();
    assertEquals(409, taken.status(), taken.toString());

    TestGateway.Merchant other = gateway.createMerchant("Other Team");
    Response foreign = gateway.request(io.vertx.core.http.HttpMethod.PATCH, "/v1/team/members/" + owner.id()).bearer(other.secret())
        .json(new JsonObject().put("role", "viewer")).send();
    assertEquals(404, foreign.status(), foreign.toString());
    assertTrue(gateway.get("/v1/team/members").bearer(other.secret()).send().data().isEmpty());
  }
}
