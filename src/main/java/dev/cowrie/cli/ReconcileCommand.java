package dev.cowrie.cli;

import dev.cowrie.common.Bus;
import dev.cowrie.payments.PaymentAddresses;
import dev.cowrie.payments.PaymentsVerticle;
import dev.cowrie.payments.Reconciler;
import dev.cowrie.providers.ProviderAdapter;
import dev.cowrie.providers.ProviderRegistry;
import dev.cowrie.providers.ProviderVerticle;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cowrie admin reconcile --provider X --since 2h}: asks the provider about every payment
 * still in requires_action/processing created since then, and settles what it says. Runs the
 * payments and provider verticles in this process, so no gateway needs to be up.
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
    description = "Verify stuck payments (requires_action/processing) with their provider and settle them.")
final class ReconcileCommand implements Callable<Integer> {
  private static final int BATCHES_MAX = 200;

  @Option(names = "--provider", description = "Only this provider (e.g. paystack).")
  String provider;

  @Option(names = "--since", defaultValue = "24h", description = "RFC 3339 time or a duration back from now: 90s, 30m, 2h, 7d.")
  String since;

  @Option(names = "--json")
  boolean json;

  @Override
  public Integer call() {
    return AdminCli.withContext(context -> {
      JsonObject report = reconcile(context, provider, since(since, Instant.now()));
      StringBuilder human = new StringBuilder();
      report.getJsonArray("payments").forEach(item -> human.append(((JsonObject) item).getString("id")).append("  ")
          .append(((JsonObject) item).getString("status")).append('\n'));
      human.append(report.getInteger("checked")).append(" checked, ").append(report.getLong("settled")).append(" settled");
      CliContext.print(report, json, human.toString());
      context.audit("reconcile", null, provider == null ? "all" : provider);
      return 0;
    });
  }

  /** Deploys what verifying needs into the CLI's Vert.x, then reconciles in batches until nothing is left. */
  static JsonObject reconcile(CliContext context, String provider, OffsetDateTime since) {
    ProviderRegistry registry = new ProviderRegistry();
    if (provider != null && registry.find(provider).isEmpty()) {
      throw new CliContext.CliFailure("unknown provider " + provider + "; known: " + String.join(", ", registry.names()));
    }
    var config = context.config.with("reconcile", "interval_ms", 0);
    for (ProviderAdapter adapter : registry.all()) {
      context.await(context.vertx.deployVerticle(new ProviderVerticle(config, adapter)));
    }
    context.await(context.vertx.deployVerticle(new PaymentsVerticle(config, registry)));
    context.await(context.vertx.deployVerticle(new Reconciler(config, java.time.Clock.systemUTC())));
    // Claiming bumps updated_at past this instant, so each payment is asked about once per run.
    String startedAt = OffsetDateTime.now(ZoneOffset.UTC).toString();
    JsonObject total = new JsonObject().put("checked", 0).put("settled", 0L).put("payments", new io.vertx.core.json.JsonArray());
    for (int batch = 0; batch < BATCHES_MAX; batch++) {
      JsonObject command = new JsonObject().put("provider", provider).put("since", since.toString())
          .put("stale_after_seconds", 0).put("updated_before", startedAt);
      JsonObject report = context.await(Bus.request(context.vertx, PaymentAddresses.RECONCILE, command,
          config.bus().requestTimeoutMs() * (Reconciler.BATCH_MAX + 1)));
      total.put("checked", total.getInteger("checked") + report.getInteger("checked"))
          .put("settled", total.getLong("settled") + report.getLong("settled"));
      total.getJsonArray("payments").addAll(report.getJsonArray("payments"));
      if (report.getInteger("checked") < Reconciler.BATCH_MAX) {
        break;
      }
    }
    return total;
  }

  /** {@code 2026-11-20T10:00:00Z} or a duration back from {@code now}: 90s, 30m, 2h, 7d. */
  static OffsetDateTime since(String text, Instant now) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    if (value.matches("[0-9]+[smhd]")) {
      long count = Long.parseLong(value.substring(0, value.length() - 1));
      Duration back = switch (value.charAt(value.length() - 1)) {
        case 's' -> Duration.ofSeconds(count);
        case 'm' -> Duration.ofMinutes(count);
        case 'h' -> Duration.ofHours(count);
        default -> Duration.ofDays(count);
      };
      return now.minus(back).atOffset(ZoneOffset.UTC);
    }
    try {
      return OffsetDateTime.parse(text.trim());
    } catch (java.time.format.DateTimeParseException e) {
      throw new CliContext.CliFailure("--since takes an RFC 3339 time (2026-11-20T10:00:00Z) or a duration (90s, 30m, 2h, 7d)");
    }
  }
}
