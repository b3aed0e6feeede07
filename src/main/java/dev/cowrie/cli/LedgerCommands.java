package dev.cowrie.cli;

import dev.cowrie.ledger.LedgerCheck;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ledger", description = "Inspect the ledger.", mixinStandardHelpOptions = true)
final class LedgerCommands {

  @Command(name = "check", description = "Prove the ledger's invariants; exits 1 when one fails.")
  int check(@Option(names = "--json") boolean json) {
    return AdminCli.withContext(context -> {
      JsonObject report = context.await(LedgerCheck.run(context.pool, PaymentLedgerChecks.all()));
      StringBuilder human = new StringBuilder();
      report.getJsonArray("checks").forEach(item -> {
        JsonObject check = (JsonObject) item;
        human.append(check.getBoolean("ok") ? "ok    " : "FAIL  ").append(check.getString("check")).append('\n');
        check.getJsonArray("violations").forEach(violation -> human.append("        ").append(violation).append('\n'));
      });
      human.append(report.getBoolean("ok") ? "ledger OK" : "ledger BROKEN");
      CliContext.print(report, json, human.toString());
      return report.getBoolean("ok") ? 0 : 1;
    });
  }
}
