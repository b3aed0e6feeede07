package dev.cowrie.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TeamMembers;
import dev.cowrie.testing.TeamMembers.Member;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET /v1/audit_log: a merchant reads its own trail (who, what, when, from where), filtered and paged. */
class AuditLogTest {
  static TestGateway gateway;
  static TestGateway.Merchant merchant;
  static Member developer;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(AuditLogTest.class);
    merchant = gateway.createMerchant("Audit Shop");
    developer = TeamMembers.invite(gateway, merchant, "dana.dev", "developer");
    for (int i = 0; i < 3; i++) {
      assertEquals(201, gateway.post("/v1/webhook_endpoints").bearer(merchant.secret()).header("User-Agent", "shop-backend/1.0")
          .json(new JsonObject().put("url", "http://127.0.0.1:9/hooks/" + i).put("events", new JsonArray().add("*"))).send().status());
    }
    assertEquals(201, gateway.post("/v1/api_keys").bearer(developer.token()).header("User-Agent", "Mozilla/5.0 dashboard")
        .json(new JsonObject()).send().status());
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static JsonArray entries(String query, String token) {
    Response response = gateway.get("/v1/audit_log" + query).bearer(token).send();
    assertEquals(200, response.status(), response.toString());
    return response.data();
  }

  @Test
  void entriesSayWhoDidWhatWhenAndFromWhere() {
    JsonArray all = entries("", merchant.secret());
    JsonObject byDeveloper = all.stream().map(JsonObject.class::cast)
        .filter(entry -> developer.id().equals(entry.getString("actor"))).findFirst().orElseThrow();
    assertEquals("dana.dev", byDeveloper.getString("actor_name"));
    assertEquals("POST /v1/api_keys", byDeveloper.getString("action"));
    assertEquals("Mozilla/5.0 dashboard", byDeveloper.getString("user_agent"));
    assertEquals("127.0.0.1", byDeveloper.getString("ip"));
    assertEquals(201, byDeveloper.getInteger("status"));
    assertTrue(byDeveloper.getString("target").startsWith("key_"));
    assertTrue(byDeveloper.getString("id").startsWith("aud_"));
    assertTrue(byDeveloper.getString("at").endsWith("Z"));
    // The team member's invitation is in the trail too.
    assertTrue(all.stream().map(JsonObject.class::cast).anyMatch(entry -> entry.getString("action").equals("POST /v1/team/members")));
  }

  @Test
  void filtersByActorActionAndDate() {
    JsonArray mine = entries("?actor=" + developer.id(), developer.token());
    assertEquals(1, mine.size(), mine.encode());
    JsonArray hooks = entries("?action=POST%20/v1/webhook_endpoints", merchant.secret());
    assertEquals(3, hooks.size(), hooks.encode());
    assertTrue(hooks.stream().map(JsonObject.class::cast).allMatch(entry -> entry.getString("user_agent").equals("shop-backend/1.0")));
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    assertTrue(entries("?date=" + today, merchant.secret()).size() >= 5);
    assertEquals(0, entries("?date=" + LocalDate.now(ZoneOffset.UTC).minusDays(2), merchant.secret()).size());
    Response badDate = gateway.get("/v1/audit_log?date=yesterday").bearer(merchant.secret()).send();
    assertEquals(400, badDate.status());
    assertEquals("date", badDate.json().getJsonObject("error").getString("param"));
  }

  @Test
  void pagesWithACursorWithoutGapsOrRepeats() {
    Set<String> seen = new HashSet<>();
    String after = null;
    int pages = 0;
    while (true) {
      Response page = gateway.get("/v1/audit_log?limit=2" + (after == null ? "" : "&starting_after=" + after)).bearer(merchant.secret()).send();
      pages++;
      page.data().forEach(entry -> assertTrue(seen.add(((JsonObject) entry).getString("id")), "repeated " + entry));
      if (!page.json().getBoolean("has_more")) {
        break;
      }
      after = page.data().getJsonObject(page.data().size() - 1).getString("id");
    }
    assertEquals(entries("?limit=100", merchant.secret()).size(), seen.size());
    assertTrue(pages >= 3);
  }

  @Test
  void onlyDevelopersAndAboveAndOnlyTheirOwnMerchant() {
    Member support = TeamMembers.invite(gateway, merchant, "sam.support", "support");
    assertEquals(403, gateway.get("/v1/audit_log").bearer(support.token()).send().status());
    TestGateway.Merchant other = gateway.createMerchant("Other Audit");
    JsonArray theirs = entries("", other.secret());
    assertFalse(theirs.stream().map(JsonObject.class::cast).anyMatch(entry -> entry.getString("actor").equals(developer.id())));
  }
}
