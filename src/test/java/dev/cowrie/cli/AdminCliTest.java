package dev.cowrie.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin CLI, run in-process against the test gateway's schema; its effects checked over HTTP and SQL. */
class AdminCliTest {
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(AdminCliTest.class);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  record Run(int exit, String out, String err) {
    JsonObject json() {
      return new JsonObject(out);
    }

    /** The operator-facing error lines (the log may also write to stderr). */
    long errorLines() {
      return err.lines().filter(line -> line.startsWith("error: ")).count();
    }
  }

  static synchronized Run cli(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
      int exit = AdminCli.run(gateway.config, args);
      return new Run(exit, outBytes.toString(StandardCharsets.UTF_8), withoutGatewayLog(errBytes.toString(StandardCharsets.UTF_8)));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  /**
   * The test's gateway runs in this JVM and logs to the same stderr (a background sweep's warning
   * can land while a command runs); its lines start with a timestamp, the CLI's never do.
   */
  private static String withoutGatewayLog(String err) {
    return err.lines().filter(line -> !line.matches("\\d{4}-\\d{2}-\\d{2}T\\S+ (TRACE|DEBUG|INFO|WARN|ERROR) .*"))
        .map(line -> line + "\n").collect(java.util.stream.Collectors.joining());
  }

  private static JsonObject createMerchant(String name) {
    Run run = cli("merchant", "create", "--name", name, "--email", "cli@example.com", "--json");
    assertEquals(0, run.exit(), run.toString());
    return run.json();
  }

  @Test
  void listingTheKeysOfAMerchantThatDoesNotExistSaysSoAndFails() {
    Run run = cli("apikey", "list", "--merchant", "mer_nope");
    assertEquals(1, run.exit(), run.toString());
    assertEquals("", run.out().strip());
    assertTrue(run.err().contains("error: no such merchant: mer_nope"), run.err());
    Run json = cli("apikey", "list", "--merchant", "mer_nope", "--json");
    assertEquals(1, json.exit(), json.toString());
  }

  @Test
  void merchantCreatePrintsIdAndWorkingTestKeys() {
    JsonObject merchant = createMerchant("Cli Shop");
    String id = merchant.getString("id");
    assertTrue(id.startsWith("mer_"));
    String secret = merchant.getJsonObject("api_keys").getString("secret");
    assertTrue(secret.startsWith("sk_test_"));
    assertEquals(1, gateway.query("SELECT 1 FROM merchants WHERE id = $1 AND name = 'Cli Shop'", id).size());
    assertEquals(200, gateway.get("/v1/api_keys").bearer(secret).send().status());
    assertEquals(1, gateway.query("SELECT 1 FROM audit_log WHERE actor = 'admin-cli' AND action = 'merchant create' AND target = $1", id).size());

    Run human = cli("merchant", "create", "--name", "Cli Human", "--email", "human@example.com");
    assertEquals(0, human.exit());
    assertTrue(human.out().contains("merchant:") && human.out().contains("secret key:      sk_test_"), human.out());
  }

  @Test
  void apiKeysCreateListRevoke() {
    String merchantId = createMerchant("Cli Keys").getString("id");
    Run created = cli("apikey", "create", "--merchant", merchantId, "--type", "publishable", "--json");
    assertEquals(0, created.exit(), created.toString());
    assertTrue(created.json().getString("key").startsWith("pk_test_"));
    Run secret = cli("apikey", "create", "--merchant", merchantId, "--json");
    String secretKey = secret.json().getString("key");
    String secretId = secret.json().getString("id");

    Run list = cli("apikey", "list", "--merchant", merchantId, "--json");
    assertEquals(0, list.exit());
    assertEquals(4, list.json().getJsonArray("data").size());
    assertFalse(list.out().contains(secretKey), "list shows a plain key");
    Run humanList = cli("apikey", "list", "--merchant", merchantId);
    assertEquals(4, humanList.out().strip().lines().count(), humanList.out());

    Run revoked = cli("apikey", "revoke", "--merchant", merchantId, "--id", secretId);
    assertEquals(0, revoked.exit(), revoked.toString());
    assertTrue(revoked.out().contains(secretId + " revoked"));
    assertEquals(401, gateway.get("/v1/api_keys").bearer(secretKey).send().status());
  }

  @Test
  void userCreateMakesALoginThatWorks() {
    String merchantId = createMerchant("Cli Users").getString("id");
    Run user = cli("user", "create", "--merchant", merchantId, "--username", "cli.dash", "--password", "cli password 1", "--json");
    assertEquals(0, user.exit(), user.toString());
    assertTrue(user.json().getString("id").startsWith("usr_"));
    var token = gateway.post("/v1/auth/token")
        .json(new JsonObject().put("username", "cli.dash").put("password", "cli password 1")).send();
    assertEquals(200, token.status(), token.toString());

    Run taken = cli("user", "create", "--merchant", merchantId, "--username", "cli.dash", "--password", "cli password 1");
    assertEquals(1, taken.exit());
    assertEquals(1, taken.errorLines(), taken.err());
    assertTrue(taken.err().contains("taken"), taken.err());
  }

  @Test
  void badFlagsGiveOneLineAndANonZeroExit() {
    String[][] cases = {
        {"merchant", "create", "--name", "No Email"},
        {"merchant", "create", "--name", "x", "--email", "x@example.com", "--colour", "blue"},
        {"merchant", "frobnicate"},
        {"apikey", "create", "--merchant", "mer_x", "--mode", "staging"},
        {"merchant", "create", "--name", "x", "--email", "not-an-email"},
    };
    for (String[] args : cases) {
      Run run = cli(args);
      assertNotEquals(0, run.exit(), String.join(" ", args));
      assertEquals("", run.out(), String.join(" ", args));
      assertEquals(1, run.err().strip().lines().count(), String.join(" ", args) + " → " + run.err());
      assertTrue(run.err().startsWith("error: "), run.err());
    }
    Run unknownKey = cli("apikey", "revoke", "--merchant", "mer_nope", "--id", "key_nope");
    assertEquals(1, unknownKey.exit());
    assertEquals(1, unknownKey.errorLines(), unknownKey.err());
    assertFalse(unknownKey.err().contains("\tat "), unknownKey.err());
  }

  @Test
  void demoIsCreatedOnceAndItsKeysKept(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("demo.json");
    Run first = cli("demo", "--file", file.toString(), "--json");
    assertEquals(0, first.exit(), first.toString());
    assertTrue(first.json().getBoolean("created"));
    String secret = first.json().getString("secret_key");
    assertEquals(200, gateway.get("/v1/api_keys").bearer(secret).send().status());
    assertEquals(secret, new JsonObject(Files.readString(file)).getString("secret_key"));
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

    Run second = cli("demo", "--file", file.toString(), "--json");
    assertFalse(second.json().getBoolean("created"));
    assertEquals(secret, second.json().getString("secret_key"));
    assertEquals(first.json().getString("id"), second.json().getString("id"));

    // The file lost: the same merchant gets fresh keys, never a second demo merchant.
    Files.delete(file);
    Run third = cli("demo", "--file", file.toString());
    assertEquals(0, third.exit(), third.toString());
    assertTrue(third.out().contains(first.json().getString("id")), third.out());
    assertEquals(1, gateway.query("SELECT 1 FROM merchants WHERE name = 'Demo Shop'").size());
    String fresh = new JsonObject(Files.readString(file)).getString("secret_key");
    assertNotEquals(secret, fresh);
    assertEquals(200, gateway.get("/v1/api_keys").bearer(fresh).send().status());
  }
}
