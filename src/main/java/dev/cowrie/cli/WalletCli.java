package dev.cowrie.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cowrie wallet …}: a person's wallet from a terminal. It speaks only Cowrie's public HTTP API
 * and sockets ({@link WalletClient}), prints human lines by default and the API's JSON with
 * {@code --json}, and fails with one {@code error: …} line and exit code 1 (2 for a usage mistake).
 */
@Command(name = "cowrie wallet", mixinStandardHelpOptions = true,
    description = "Your Cowrie wallet: log in, see your balance, send and request money, chat.")
public final class WalletCli implements Callable<Integer> {
  @Option(names = "--json", scope = CommandLine.ScopeType.INHERIT, description = "Print the API's JSON instead of text.")
  boolean json;

  final WalletClient client = new WalletClient(WalletClient.defaultFile());
  final PrintStream out = System.out;

  public static void main(String... args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    CommandLine cli = new CommandLine(new WalletCli());
    cli.setParameterExceptionHandler((failure, ignored) -> {
      failure.getCommandLine().getErr().println("error: " + failure.getMessage() + " (try: cowrie wallet --help)");
      return 2;
    });
    cli.setExecutionExceptionHandler((failure, commandLine, parsed) -> {
      Throwable cause = failure instanceof java.util.concurrent.ExecutionException && failure.getCause() != null ? failure.getCause() : failure;
      if (System.getenv("COWRIE_DEBUG") != null) {
        failure.printStackTrace(commandLine.getErr());
      }
      commandLine.getErr().println("error: " + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName()));
      return cause instanceof WalletClient.Failure ? 1 : 2;
    });
    return cli.execute(args);
  }

  @Override
  public Integer call() {
    CommandLine.usage(this, out);
    return 0;
  }

  @Command(name = "login", description = "Log in (the password is read from stdin, or --password).")
  int login(@Parameters(paramLabel = "USERNAME") String username,
      @Option(names = "--url", defaultValue = "${env:COWRIE_URL:-http://127.0.0.1:8080}") String url,
      @Option(names = "--key", defaultValue = "${env:COWRIE_PUBLISHABLE_KEY}", description = "the merchant's publishable key (pk_…)")
      String key,
      @Option(names = "--password", defaultValue = "${env:COWRIE_PASSWORD}") String password) throws Exception {
    if (key == null) {
      throw new WalletClient.Failure("the merchant's publishable key is needed: --key pk_… (or COWRIE_PUBLISHABLE_KEY)");
    }
    String secret = password != null ? password
        : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    if (secret == null || secret.isEmpty()) {
      throw new WalletClient.Failure("no password given (type it on stdin, or --password)");
    }
    JsonObject tokens = client.login(url.replaceAll("/+$", ""), key, username, secret);
    return print(tokens.copy().put("refresh_token", "(saved)").put("access_token", "(saved)"),
        "logged in as " + username + " at " + url);
  }

  @Command(name = "whoami", description = "Who you are, your limits and whether a PIN is set.")
  int whoami() {
    JsonObject me = client.get("/v1/me");
    return print(me, me.getString("username") + " (" + me.getString("id") + ", " + me.getString("mode") + " mode)"
        + ", PIN " + (me.getBoolean("pin_set") ? "set, needed above " + me.getJsonObject("limits").getLong("pin_limit") : "not set"));
  }

  @Command(name = "balance", description = "What your wallet holds (minor units).")
  int balance() {
    JsonObject wallet = client.get("/v1/wallet");
    StringBuilder text = new StringBuilder();
    for (Object item : wallet.getJsonArray("balances")) {
      JsonObject balance = (JsonObject) item;
      text.append(text.length() == 0 ? "" : "\n").append(balance.getLong("available")).append(' ').append(balance.getString("currency"));
    }
    return print(wallet, text.length() == 0 ? "empty wallet" : text.toString());
  }

  @Command(name = "send", description = "Send money to another user (AMOUNT in minor units).")
  int send(@Parameters(paramLabel = "USER") String to, @Parameters(paramLabel = "AMOUNT") long amount,
      @Option(names = "--currency", defaultValue = "${env:COWRIE_CURRENCY:-NGN}") String currency,
      @Option(names = "--note") String note, @Option(names = "--pin") String pin) {
    JsonObject transfer = client.post("/v1/transfers", new JsonObject().put("to", to).put("amount", amount)
        .put("currency", currency).put("note", note).put("pin", pin));
    return print(transfer, "sent " + amount + " " + currency + " to " + to + " (" + transfer.getString("id") + ")");
  }

  @Command(name = "history", description = "Your transfers, newest first.")
  int history(@Option(names = "--limit", defaultValue = "20") int limit) {
    JsonObject list = client.get("/v1/transfers?limit=" + limit);
    String me = client.credentials().getString("username");
    StringBuilder text = new StringBuilder();
    for (Object item : list.getJsonArray("data")) {
      JsonObject t = (JsonObject) item;
      boolean sent = me.equalsIgnoreCase(t.getString("from"));
      text.append(text.length() == 0 ? "" : "\n").append(t.getString("created_at")).append("  ")
          .append(sent ? "-" : "+").append(t.getLong("amount")).append(' ').append(t.getString("currency"))
          .append(sent ? "  to " + t.getString("to") : "  from " + t.getString("from"))
          .append(t.getString("note") == null ? "" : "  \"" + t.getString("note") + "\"").append("  ").append(t.getString("id"));
    }
    return print(list, text.length() == 0 ? "no transfers yet" : text.toString());
  }

  @Command(name = "online", description = "Who is connected now.")
  int online() {
    JsonObject list = client.get("/v1/users/online");
    JsonArray names = new JsonArray();
    list.getJsonArray("data").forEach(user -> names.add(((JsonObject) user).getString("username")));
    return print(list, names.isEmpty() ? "nobody online" : String.join("\n", names.stream().map(Object::toString).toList()));
  }

  @Command(name = "request", description = "Ask for money; prints the message to pass on (any messenger) and its link.")
  int request(@Parameters(paramLabel = "AMOUNT") long amount,
      @Option(names = "--currency", defaultValue = "${env:COWRIE_CURRENCY:-NGN}") String currency,
      @Option(names = "--description") String description) {
    JsonObject request = client.post("/v1/payment_requests", new JsonObject().put("amount", amount).put("currency", currency)
        .put("description", description));
    return print(request, request.getString("id") + " for " + amount + " " + currency + "\n" + request.getString("encoded_message")
        + "\n" + request.getString("pay_url"));
  }

  @Command(name = "pay", description = "Pay a payment-request MESSAGE from your wallet and tell the payee.")
  int pay(@Parameters(paramLabel = "MESSAGE") String message, @Option(names = "--pin") String pin) {
    JsonObject checked = client.post("/v1/payment_requests/verify", new JsonObject().put("encoded_message", message));
    if (!checked.getBoolean("valid", false) || !"request".equals(checked.getString("kind"))) {
      throw new WalletClient.Failure("not a payable request: " + checked.getString("reason", "invalid"));
    }
    String id = checked.getJsonObject("decoded").getString("payment_request");
    JsonObject request = client.get("/v1/payment_requests/" + id);
    long due = request.getLong("amount") - request.getLong("paid_amount");
    JsonObject transfer = client.post("/v1/transfers", new JsonObject().put("to", request.getString("payee")).put("amount", due)
        .put("currency", request.getString("currency")).put("note", "pays " + id).put("pin", pin));
    JsonObject claim = client.post("/v1/payment_requests/" + id + "/sent", new JsonObject().put("paid_amount", due)
        .put("proof", transfer.getString("id")));
    return print(new JsonObject().put("transfer", transfer).put("confirmation", claim),
        "paid " + due + " " + request.getString("currency") + " to " + request.getString("payee") + " (" + transfer.getString("id") + ")");
  }

  @Command(name = "chat", description = "Join a room live: its messages as they come; each line you type is posted.")
  int chat(@Parameters(paramLabel = "ROOM") String room) throws Exception {
    return new WalletChat(client, out, json).run(room);
  }

  private int print(JsonObject answer, String human) {
    out.println(json ? answer.encodePrettily() : human);
    return 0;
  }
}
