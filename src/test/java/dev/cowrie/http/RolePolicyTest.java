package dev.cowrie.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.security.Role;
import dev.cowrie.testing.TeamMembers;
import dev.cowrie.testing.TeamMembers.Member;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Team roles are enforced by the API on every route a dashboard user can reach: the sweep walks the
 * gateway's own route table with a member of each role, so a new route is checked the day it exists.
 */
class RolePolicyTest {
  static TestGateway gateway;
  static TestGateway.Merchant merchant;
  static final Map<Role, Member> members = new java.util.EnumMap<>(Role.class);

  /** Writes a viewer may make: each only reads or concerns the viewer's own sign-in. */
  static final Set<String> VIEWER_WRITES = Set.of("POST /v1/realtime/tickets", "POST /v1/payment_requests/verify",
      "POST /v1/auth/totp", "POST /v1/auth/totp/enable", "POST /v1/auth/totp/disable", "POST /v1/auth/logout_all");

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(RolePolicyTest.class, Map.of(
        "COWRIE_RATE_LIMIT_PER_KEY_PER_SECOND", "100000", "COWRIE_RATE_LIMIT_PER_KEY_BURST", "100000"));
    merchant = gateway.createMerchant("Roles Shop");
    gateway.enableSandbox(merchant, "roles_secret_0123456789abcdef");
    for (Role role : Role.values()) {
      members.put(role, TeamMembers.invite(gateway, merchant, role.wire() + ".member", role.wire()));
    }
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  /** The merchant routes a dashboard user can reach, as "METHOD /path". */
  static List<String> dashboardRoutes() {
    var routes = gateway.vertx.sharedData().<String, String>getLocalMap(HttpVerticle.ROUTES_MAP);
    List<String> reachable = new ArrayList<>();
    for (String route : new TreeSet<>(routes.keySet())) {
      Access access = Access.valueOf(routes.get(route));
      String path = route.substring(route.indexOf(' ') + 1);
      // Signing out everywhere would end the sweep's own sessions: TwoFactorTest covers it.
      if (access.kinds.contains(dev.cowrie.security.Principal.Kind.DASHBOARD_USER) && !path.endsWith("/stream")
          && !route.equals("POST /v1/auth/logout_all")) {
        reachable.add(route);
      }
    }
    return reachable;
  }

  static TestHttp.Response call(String route, String token) {
    HttpMethod method = HttpMethod.valueOf(route.substring(0, route.indexOf(' ')));
    String path = route.substring(route.indexOf(' ') + 1).replaceAll(":[a-z_]+", "x_role_sweep");
    TestHttp.Request request = gateway.request(method, path).bearer(token);
    if (method != HttpMethod.GET && method != HttpMethod.DELETE) {
      request.json(new JsonObject());
    }
    return request.send();
  }

  static boolean refusedForRole(TestHttp.Response response) {
    return response.status() == 403 && "permission_denied".equals(response.errorCode())
        && response.json().getJsonObject("error").getString("message").contains(" role or above");
  }

  @Test
  void everyRouteRefusesEveryRoleBelowItsMinimumAndAdmitsTheRest() {
    List<String> wrong = new ArrayList<>();
    int swept = 0;
    for (String route : dashboardRoutes()) {
      HttpMethod method = HttpMethod.valueOf(route.substring(0, route.indexOf(' ')));
      Role minimum = RolePolicy.minimum(method, route.substring(route.indexOf(' ') + 1));
      for (Role role : Role.values()) {
        TestHttp.Response response = call(route, members.get(role).token());
        swept++;
        if (refusedForRole(response) == role.atLeast(minimum)) {
          wrong.add(route + " as " + role.wire() + " (minimum " + minimum.wire() + ") → " + response);
        }
      }
    }
    assertTrue(swept > 100, "swept " + swept);
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  @Test
  void aViewerWritesNothingButTheirOwnSignIn() {
    List<String> viewerWrites = new ArrayList<>(List.of("POST /v1/auth/logout_all"));
    for (String route : dashboardRoutes()) {
      if (!route.startsWith("GET ")) {
        HttpMethod method = HttpMethod.valueOf(route.substring(0, route.indexOf(' ')));
        if (RolePolicy.minimum(method, route.substring(route.indexOf(' ') + 1)) == Role.VIEWER) {
          viewerWrites.add(route);
        }
      }
    }
    assertEquals(new TreeSet<>(VIEWER_WRITES), new TreeSet<>(viewerWrites));
  }

  @Test
  void supportRefundsButDoesNotManageKeysProvidersOrTheTeam() {
    String payment = paidPayment();
    Member support = members.get(Role.SUPPORT);
    TestHttp.Response refund = gateway.post("/v1/refunds").bearer(support.token())
        .json(new JsonObject().put("payment", payment).put("amount", 500)).send();
    assertEquals(201, refund.status(), refund.toString());

    Member viewer = members.get(Role.VIEWER);
    TestHttp.Response viewerRefund = gateway.post("/v1/refunds").bearer(viewer.token())
        .json(new JsonObject().put("payment", payment).put("amount", 500)).send();
    assertTrue(refusedForRole(viewerRefund), viewerRefund.toString());
    assertEquals(500L, gateway.get("/v1/payments/" + payment).bearer(merchant.secret()).send().json().getLong("amount_refunded"),
        "the viewer's refund changed nothing");

    assertTrue(refusedForRole(gateway.post("/v1/api_keys").bearer(support.token()).json(new JsonObject()).send()));
    assertTrue(refusedForRole(gateway.get("/v1/api_keys").bearer(support.token()).send()));
    assertTrue(refusedForRole(gateway.put("/v1/provider_connections/sandbox").bearer(support.token()).json(new JsonObject()).send()));
    assertTrue(refusedForRole(gateway.post("/v1/team/members").bearer(support.token())
        .json(new JsonObject().put("username", "sneaky").put("role", "owner")).send()));

    Member developer = members.get(Role.DEVELOPER);
    assertEquals(201, gateway.post("/v1/api_keys").bearer(developer.token()).json(new JsonObject()).send().status());
    assertTrue(refusedForRole(gateway.post("/v1/team/members").bearer(developer.token())
        .json(new JsonObject().put("username", "sneaky").put("role", "owner")).send()));
    assertEquals(200, gateway.get("/v1/payments").bearer(viewer.token()).send().status());
  }

  @Test
  void secretKeysKeepTheMerchantsFullRights() {
    for (String route : dashboardRoutes()) {
      assertNotEquals(true, refusedForRole(call(route, merchant.secret())), route);
    }
  }

  /** A sandbox payment of 5000 NGN, paid on the checkout page and succeeded. */
  static String paidPayment() {
    TestHttp.Response created = gateway.post("/v1/payments").bearer(merchant.secret()).json(new JsonObject()
        .put("amount", 5000).put("currency", "NGN").put("customer", new JsonObject().put("email", "ada@example.com"))).send();
    assertEquals(201, created.status(), created.toString());
    String id = created.json().getString("id");
    String checkout = created.json().getJsonObject("next_action").getString("url");
    gateway.post(checkout.substring(checkout.indexOf("/sandbox/checkout/"))).raw("application/x-www-form-urlencoded", "outcome=succeed").send();
    gateway.eventually(() -> gateway.get("/v1/payments/" + id).bearer(merchant.secret()).send().json(),
        json -> "succeeded".equals(json.getString("status")), 10_000);
    return id;
  }
}
