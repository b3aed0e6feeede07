package dev.cowrie.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code cowrie admin plan create|list|archive}: the operator's catalogue from the command line, checked like the API. */
class PlanCliTest {
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(PlanCliTest.class);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static int run(StringBuilder output, String... args) {
    PrintStream out = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
      return AdminCli.run(gateway.config, args);
    } finally {
      System.setOut(out);
      output.append(bytes.toString(StandardCharsets.UTF_8));
    }
  }

  @Test
  void createListArchive() {
    StringBuilder created = new StringBuilder();
    assertEquals(0, run(created, "plan", "create", "--name", "Pro", "--fee", "NGN:150:10000:200000", "--fee", "KWD:175:100",
        "--monthly-fee", "NGN:500000", "--live-mode", "false", "--webhook-endpoints", "3", "--json"), created.toString());
    JsonObject plan = new JsonObject(created.toString());
    assertEquals("Pro", plan.getString("name"));
    assertEquals(new JsonObject().put("percent_bps", 150).put("fixed", 10_000).put("cap", 200_000), plan.getJsonObject("fees").getJsonObject("NGN"));
    assertEquals(null, plan.getJsonObject("fees").getJsonObject("KWD").getValue("cap"));
    assertEquals(500_000, plan.getJsonObject("monthly_fee").getLong("NGN"));
    assertFalse(plan.getJsonObject("limits").getBoolean("live_mode"));
    JsonObject listedByApi = gateway.get("/v1/admin/plans").bearer(gateway.adminToken).send().json();
    assertTrue(listedByApi.getJsonArray("data").stream().map(JsonObject.class::cast).anyMatch(p -> p.getString("id").equals(plan.getString("id"))));

    StringBuilder listed = new StringBuilder();
    assertEquals(0, run(listed, "plan", "list"));
    assertTrue(listed.toString().contains(plan.getString("id") + "  Pro"), listed.toString());
    assertTrue(listed.toString().contains("plan_default  default"), listed.toString());

    StringBuilder archived = new StringBuilder();
    assertEquals(0, run(archived, "plan", "archive", "Pro"));
    assertTrue(archived.toString().contains("(archived)"), archived.toString());
    StringBuilder after = new StringBuilder();
    run(after, "plan", "list");
    assertFalse(after.toString().contains("  Pro"), after.toString());
    StringBuilder all = new StringBuilder();
    run(all, "plan", "list", "--archived");
    assertTrue(all.toString().contains("  Pro  (archived)"), all.toString());
  }

  @Test
  void badInputIsRefusedAndNothingIsWritten() {
    assertEquals(1, run(new StringBuilder(), "plan", "create", "--name", "Odd", "--fee", "NGN:1.5:0"));
    assertEquals(1, run(new StringBuilder(), "plan", "create", "--name", "Odd", "--fee", "NGN:20000:0"));
    assertEquals(1, run(new StringBuilder(), "plan", "create", "--name", "Odd", "--monthly-fee", "ngn:5"));
    assertEquals(1, run(new StringBuilder(), "plan", "archive", "plan_default"));
    assertEquals(0, gateway.query("SELECT 1 FROM plans WHERE name = 'Odd'").size());
  }
}
