package dev.cowrie.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each table has one owner package; only its source files hold SQL naming it (DESIGN.md: each area
 * owns its tables and the others reach it over the bus). A scan of string literals in src/main.
 */
class TableOwnershipTest {
  private static final Path MAIN = Path.of("src/main/java/dev/cowrie");
  private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
  static final Map<String, String> OWNER = Map.ofEntries(
      Map.entry("merchants", "auth"), Map.entry("api_keys", "auth"), Map.entry("users", "auth"),
      Map.entry("refresh_tokens", "auth"), Map.entry("audit_log", "auth"),
      Map.entry("idempotency_keys", "http"),
      Map.entry("payments", "payments"), Map.entry("payment_attempts", "payments"),
      Map.entry("payment_transitions", "payments"), Map.entry("refunds", "payments"),
      Map.entry("provider_connections", "providers"), Map.entry("sandbox_charges", "providers/sandbox"),
      Map.entry("sandbox_callbacks", "providers/sandbox"), Map.entry("kafka_outbox", "events"),
      Map.entry("provider_events", "callbacks"),
      Map.entry("ledger_accounts", "ledger"), Map.entry("ledger_balances", "ledger"),
      Map.entry("journal_entries", "ledger"), Map.entry("postings", "ledger"),
      Map.entry("events", "events"),
      Map.entry("webhook_endpoints", "webhooks"), Map.entry("webhook_deliveries", "webhooks"),
      Map.entry("webhook_attempts", "webhooks"),
      Map.entry("transfers", "wallets"),
      Map.entry("chat_rooms", "chat"), Map.entry("chat_members", "chat"), Map.entry("chat_messages", "chat"),
      Map.entry("chat_pending_messages", "chat"),
      Map.entry("payment_requests", "requests"), Map.entry("payment_confirmations", "requests"),
      Map.entry("payment_request_holds", "requests"),
      Map.entry("signing_keys", "requests"),
      Map.entry("plans", "plans"), Map.entry("plan_subscriptions", "plans"), Map.entry("plan_terms", "plans"),
      Map.entry("fee_charges", "plans"), Map.entry("statements", "plans"),
      Map.entry("merchant_profiles", "auth"), Map.entry("merchant_documents", "auth"),
      Map.entry("payment_links", "checkout"),
      Map.entry("test_clocks", "recurring"), Map.entry("customers", "recurring"),
      Map.entry("customer_payment_methods", "recurring"), Map.entry("prices", "recurring"),
      Map.entry("billing_settings", "recurring"), Map.entry("subscriptions", "recurring"), Map.entry("invoices", "recurring"),
      Map.entry("sandbox_authorizations", "providers/sandbox"));
  private static final Pattern STRING_LITERAL = Pattern.compile("\"\"\"(.*?)\"\"\"|\"((?:\\\\.|[^\"\\\\\\n])*)\"", Pattern.DOTALL);
  // After a keyword, or a further table of a comma-separated FROM list ("FROM leased l, events ev").
  private static final Pattern TABLE_AFTER_KEYWORD = Pattern.compile(
      "(?i)\\b(?:from|join|into|update|table|exists)\\s+([a-z_]+)|,\\s*([a-z_]+)\\s+(?!as\\b|on\\b)[a-z]{1,3}(?=\\s*(?:,|where\\b))");
  private static final Pattern CREATE_TABLE = Pattern.compile("(?i)create table (?:if not exists )?([a-z_]+)");

  @Test
  void everyMigratedTableHasAnOwner() throws IOException {
    Set<String> tables = new TreeSet<>();
    try (Stream<Path> files = Files.list(MIGRATIONS)) {
      for (Path file : files.toList()) {
        Matcher matcher = CREATE_TABLE.matcher(Files.readString(file));
        while (matcher.find()) {
          tables.add(matcher.group(1).toLowerCase());
        }
      }
    }
    assertEquals(tables, new TreeSet<>(OWNER.keySet()), "tables in migrations vs the owners listed here");
  }

  /**
   * The only files outside an owner allowed to name its tables: the operator's CLI, which runs as a
   * separate process straight on the database (no gateway, so no bus to ask an owner), for
   * bootstrap and repair. Each entry says why; {@link #everyExceptionIsStillNeeded} keeps the list honest.
   */
  static final Map<String, String> CLI_EXCEPTIONS = Map.ofEntries(
      Map.entry("cli/ApiKeyCommands.java names merchants",
          "checks the merchant exists before minting a key for it (operator bootstrap)"),
      Map.entry("cli/CallbackCommands.java names provider_events",
          "lists orphaned provider events (verified, matching no payment) for the operator"),
      Map.entry("cli/CliContext.java names audit_log", "every CLI action is audited, as the operator"),
      Map.entry("cli/DemoCommand.java names api_keys", "seeds a demo merchant's keys in one transaction"),
      Map.entry("cli/DemoCommand.java names merchants", "seeds a demo merchant in one transaction"),
      Map.entry("cli/DemoCommand.java names provider_connections", "seeds the demo merchant's sandbox connection"),
      Map.entry("cli/WebhookCommands.java names events", "finds an event's merchant and payload by id alone to redeliver it"),
      Map.entry("cli/PaymentLedgerChecks.java names payments", "holds the ledger against payments in one query"),
      Map.entry("cli/PaymentLedgerChecks.java names refunds", "holds the ledger against refunds in one query"),
      Map.entry("cli/PaymentLedgerChecks.java names journal_entries", "holds the ledger against payments in one query"),
      Map.entry("cli/FeeLedgerChecks.java names payments", "recomputes each payment's fee from its plan in one query"),
      Map.entry("cli/FeeLedgerChecks.java names plan_terms", "finds the plan in force when each payment succeeded"),
      Map.entry("cli/FeeLedgerChecks.java names plans", "reads the fee rule of the plan in force"),
      Map.entry("cli/FeeLedgerChecks.java names fee_charges", "holds the statements' fee records against payments"),
      Map.entry("cli/FeeLedgerChecks.java names statements", "holds the platform fees account against statements"),
      Map.entry("cli/FeeLedgerChecks.java names ledger_accounts", "sums the fees accounts by merchant, mode and currency"),
      Map.entry("cli/FeeLedgerChecks.java names ledger_balances", "sums the fees accounts by merchant, mode and currency"));

  @Test
  void onlyATablesOwnerHoldsSqlNamingIt() throws IOException {
    List<String> violations = violations().stream().filter(violation -> !CLI_EXCEPTIONS.containsKey(withoutOwner(violation)))
        .toList();
    assertTrue(violations.isEmpty(), violations.size() + " SQL strings name a table outside its owner:\n"
        + String.join("\n", violations));
  }

  @Test
  void everyExceptionIsStillNeeded() throws IOException {
    Set<String> found = new TreeSet<>(violations().stream().map(TableOwnershipTest::withoutOwner).toList());
    Set<String> stale = new TreeSet<>(CLI_EXCEPTIONS.keySet());
    stale.removeAll(found);
    assertTrue(stale.isEmpty(), "exceptions no file needs any more (remove them): " + stale);
    assertTrue(CLI_EXCEPTIONS.keySet().stream().allMatch(key -> key.startsWith("cli/")), "only the CLI may have exceptions");
  }

  private static String withoutOwner(String violation) {
    return violation.replaceAll(" \\(owner: [a-z/_]+\\)$", "");
  }

  static List<String> violations() throws IOException {
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path file : files.filter(path -> path.toString().endsWith(".java")).sorted().toList()) {
        String folder = MAIN.relativize(file.getParent()).toString();
        for (String table : tablesNamedInSql(Files.readString(file))) {
          String owner = OWNER.get(table);
          if (!folder.equals(owner) && !(owner.equals("providers") && folder.startsWith("providers/"))) {
            violations.add(MAIN.relativize(file) + " names " + table + " (owner: " + owner + ")");
          }
        }
      }
    }
    return violations;
  }

  private static Set<String> tablesNamedInSql(String source) {
    Set<String> tables = new TreeSet<>();
    Matcher literal = STRING_LITERAL.matcher(source);
    while (literal.find()) {
      String text = literal.group(1) != null ? literal.group(1) : literal.group(2);
      Matcher table = TABLE_AFTER_KEYWORD.matcher(text);
      while (table.find()) {
        String name = (table.group(1) != null ? table.group(1) : table.group(2)).toLowerCase();
        if (OWNER.containsKey(name)) {
          tables.add(name);
        }
      }
    }
    return tables;
  }
}
