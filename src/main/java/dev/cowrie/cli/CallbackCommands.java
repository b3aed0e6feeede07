package dev.cowrie.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "callbacks", description = "Inspect provider callbacks.", mixinStandardHelpOptions = true)
final class CallbackCommands {

  @Command(name = "orphaned", description = "Verified callbacks that matched no payment (newest first).")
  int orphaned(@Option(names = "--provider") String provider, @Option(names = "--limit", defaultValue = "50") int limit,
      @Option(names = "--json") boolean json) {
    return AdminCli.withContext(context -> {
      JsonObject report = orphaned(context, provider, limit);
      StringBuilder human = new StringBuilder();
      report.getJsonArray("data").forEach(item -> {
        JsonObject event = (JsonObject) item;
        human.append(event.getString("received_at")).append("  ").append(event.getString("provider")).append("  ")
            .append(event.getString("event_type")).append("  ref=").append(event.getString("reference"))
            .append("  merchant=").append(event.getString("merchant_id")).append("  ").append(event.getString("id")).append('\n');
      });
      human.append(report.getJsonArray("data").size()).append(" orphaned callback(s)");
      CliContext.print(report, json, human.toString());
      return 0;
    });
  }

  static JsonObject orphaned(CliContext context, String provider, int limit) {
    JsonArray data = new JsonArray();
    context.await(context.pool.preparedQuery("""
            SELECT id, provider, connection_id, merchant_id, mode, provider_event_id, event_type, reference, received_at
            FROM provider_events WHERE status = 'orphaned' AND ($1::text IS NULL OR provider = $1)
            ORDER BY received_at DESC LIMIT $2""")
        .execute(Tuple.tuple(Arrays.asList(provider, Math.max(1, Math.min(limit, 500))))))
        .forEach(row -> data.add(new JsonObject().put("id", row.getString("id")).put("provider", row.getString("provider"))
            .put("connection_id", row.getString("connection_id")).put("merchant_id", row.getString("merchant_id"))
            .put("mode", row.getString("mode")).put("provider_event_id", row.getString("provider_event_id"))
            .put("event_type", row.getString("event_type")).put("reference", row.getString("reference"))
            .put("received_at", dev.cowrie.common.Times.rfc3339(row.getOffsetDateTime("received_at")))));
    return new JsonObject().put("object", "list").put("data", data);
  }
}
