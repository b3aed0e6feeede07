package dev.cowrie.cli;

import dev.cowrie.events.Outbox;
import dev.cowrie.webhooks.DeliveryQueries;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "webhooks", description = "Merchant webhook deliveries.", mixinStandardHelpOptions = true)
final class WebhookCommands {
  // The operator names only the event: its merchant and mode come with it (any tenant, so the CLI's own pool).
  private static final String EVENT = "SELECT merchant_id, mode, type, data, created_at FROM events WHERE id = $1 LIMIT 1";

  @Command(name = "redeliver", description = "Deliver an event again to its merchant's endpoints (a running gateway sends it).")
  int redeliver(@Option(names = "--event", required = true, description = "evt_…") String eventId,
      @Option(names = "--json") boolean json) {
    return AdminCli.withContext(context -> {
      var rows = context.await(context.pool.preparedQuery(EVENT).execute(Tuple.of(eventId)));
      if (rows.size() == 0) {
        throw new CliContext.CliFailure("no such event: " + eventId);
      }
      Row event = rows.iterator().next();
      JsonObject eventJson = Outbox.toJson(eventId, event.getString("merchant_id"), event.getString("mode"),
          event.getString("type"), event.getOffsetDateTime("created_at"), (JsonObject) event.getJson("data"));
      JsonObject result = context.await(DeliveryQueries.redeliver(context.pool, event.getString("merchant_id"),
          event.getString("mode"), eventJson, context.config.webhook().attemptsMax()));
      context.audit("webhooks redeliver", event.getString("merchant_id"), eventId);
      CliContext.print(result, json, eventId + ": " + result.getInteger("deliveries") + " deliveries scheduled");
      return 0;
    });
  }
}
