package dev.cowrie.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import dev.cowrie.testing.WalletUsers;
import dev.cowrie.testing.WalletUsers.User;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wallet CLI driven as a separate process against a running gateway, as a person would use it. */
class WalletCliTest {
  static TestGateway gateway;
  static TestGateway.Merchant merchant;
  static User ada;
  static User ben;

  @TempDir
  static Path home;

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(WalletCliTest.class);
    merchant = gateway.createMerchant("CLI people");
    gateway.enableSandbox(merchant, "cli_secret_0123456789abcdef");
    ada = WalletUsers.create(gateway, merchant, "ada.cli");
    ben = WalletUsers.create(gateway, merchant, "ben.cli");
    WalletUsers.topUp(gateway, ada, 5_000, "NGN");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static Run wallet(Path credentials, String stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.cowrie.cli.WalletCli"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("COWRIE_CREDENTIALS", credentials.toString());
    builder.environment().put("COWRIE_URL", "http://127.0.0.1:" + gateway.port);
    builder.environment().put("COWRIE_PUBLISHABLE_KEY", merchant.publishable());
    File err = Files.createTempFile(home, "err", ".txt").toFile();
    File out = Files.createTempFile(home, "out", ".txt").toFile();
    Process process = builder.redirectOutput(out).redirectError(err).start();
    process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the CLI finished");
    return new Run(process.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
  }

  @Test
  void loginSendHistoryJsonAndErrors() throws Exception {
    Path credentials = home.resolve("ada").resolve("credentials");
    Run login = wallet(credentials, WalletUsers.PASSWORD + "\n", "login", "ada.cli");
    assertEquals(0, login.exit(), login.toString());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials)));

    Run whoami = wallet(credentials, "", "whoami", "--json");
    assertEquals(0, whoami.exit(), whoami.toString());
    assertEquals("ada.cli", new JsonObject(whoami.out()).getString("username"));

    long before = WalletUsers.available(gateway, ada, "NGN");
    Run sent = wallet(credentials, "", "send", "ben.cli", "1500", "--note", "lunch");
    assertEquals(0, sent.exit(), sent.toString());
    assertTrue(sent.out().startsWith("sent 1500 NGN to ben.cli"), sent.out());
    assertEquals(before - 1_500L, WalletUsers.available(gateway, ada, "NGN"));
    assertTrue(WalletUsers.available(gateway, ben, "NGN") >= 1_500L);

    Run history = wallet(credentials, "", "history", "--json");
    assertEquals(0, history.exit(), history.toString());
    JsonObject first = new JsonObject(history.out()).getJsonArray("data").getJsonObject(0);
    assertEquals("ben.cli", first.getString("to"));
    assertEquals("lunch", first.getString("note"));
    Run balance = wallet(credentials, "", "balance");
    assertEquals((before - 1_500L) + " NGN", balance.out().trim());

    Run unknown = wallet(credentials, "", "send", "nobody.here", "100");
    assertEquals(1, unknown.exit(), unknown.toString());
    assertEquals(1, unknown.err().trim().lines().count(), unknown.err());
    assertTrue(unknown.err().startsWith("error: ") && unknown.err().contains("unknown_recipient"), unknown.err());
    Run tooMuch = wallet(credentials, "", "send", "ben.cli", "999999");
    assertEquals(1, tooMuch.exit());
    assertTrue(tooMuch.err().contains("insufficient_funds"), tooMuch.err());
    assertEquals(2, wallet(credentials, "", "send", "ben.cli", "lots").exit(), "a usage mistake");
    Run loggedOut = wallet(home.resolve("nobody").resolve("credentials"), "", "balance");
    assertEquals(1, loggedOut.exit());
    assertTrue(loggedOut.err().startsWith("error: not logged in"), loggedOut.err());
    Run wrongPassword = wallet(home.resolve("wrong").resolve("credentials"), "not the password\n", "login", "ada.cli");
    assertEquals(1, wrongPassword.exit());
    assertTrue(wrongPassword.err().startsWith("error: login refused"), wrongPassword.err());
  }

  @Test
  void chatPostsWhatIsTypedAndRequestsArePaid() throws Exception {
    Path credentials = home.resolve("ben").resolve("credentials");
    WalletUsers.topUp(gateway, ben, 1_000, "NGN");
    assertEquals(0, wallet(credentials, WalletUsers.PASSWORD + "\n", "login", "ben.cli").exit());
    Response room = gateway.post("/v1/chat/rooms").bearer(ada.token())
        .json(new JsonObject().put("name", "cli room").put("members", new JsonArray().add("ben.cli"))).send();
    String roomId = room.json().getString("id");
    Run chat = wallet(credentials, "hello from the terminal\n", "chat", roomId);
    assertEquals(0, chat.exit(), chat.toString());
    JsonArray messages = gateway.get("/v1/chat/rooms/" + roomId + "/messages").bearer(ada.token()).send().data();
    assertEquals("hello from the terminal", messages.getJsonObject(0).getString("text"));
    assertEquals("ben.cli", messages.getJsonObject(0).getString("sender"));

    Response request = gateway.post("/v1/payment_requests").bearer(ada.token())
        .json(new JsonObject().put("amount", 300).put("currency", "NGN").put("description", "tea")).send();
    Run paid = wallet(credentials, "", "pay", request.json().getString("encoded_message"));
    assertEquals(0, paid.exit(), paid.toString());
    assertTrue(paid.out().startsWith("paid 300 NGN to ada.cli"), paid.out());
  }
}
