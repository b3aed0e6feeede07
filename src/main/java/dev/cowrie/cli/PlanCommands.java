package dev.cowrie.cli;

import dev.cowrie.plans.Plan;
import dev.cowrie.plans.Plans;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "plan", description = "Define the plans merchants are on: fees, platform fee, limits.", mixinStandardHelpOptions = true)
final class PlanCommands {

  @Command(name = "create", description = "Create a plan (the same checks as POST /v1/admin/plans).")
  int create(@Option(names = "--name", required = true) String name,
      @Option(names = "--fee", paramLabel = "CUR:BPS:FIXED[:CAP]",
          description = "a transaction fee, e.g. NGN:150:10000:200000 = 1.5 % + 100.00, at most 2000.00 (repeatable)")
      List<String> fees,
      @Option(names = "--monthly-fee", paramLabel = "CUR:AMOUNT", description = "the platform fee per period, e.g. NGN:500000 (repeatable)")
      List<String> monthlyFees,
      @Option(names = "--rate-limit", description = "requests per second per API key") Integer rateLimit,
      @Option(names = "--rate-limit-burst") Integer rateLimitBurst,
      @Option(names = "--live-mode", arity = "1", description = "true|false (default true)") Boolean liveMode,
      @Option(names = "--webhook-endpoints", description = "webhook endpoints per mode") Integer webhookEndpoints,
      @Option(names = "--team-seats") Integer teamSeats,
      @Option(names = "--json") boolean json) {
    JsonObject body = new JsonObject().put("name", name).put("fees", feeRules(fees)).put("monthly_fee", amounts(monthlyFees));
    JsonObject limits = new JsonObject();
    putIfSet(limits, "rate_limit_per_second", rateLimit);
    putIfSet(limits, "rate_limit_burst", rateLimitBurst);
    putIfSet(limits, "live_mode", liveMode);
    putIfSet(limits, "webhook_endpoints", webhookEndpoints);
    putIfSet(limits, "team_seats", teamSeats);
    body.put("limits", limits);
    return AdminCli.withContext(context -> {
      Plan plan = context.await(Plans.create(context.pool, body));
      context.audit("plan create", null, plan.id());
      CliContext.print(plan.toJson(), json, describe(plan.toJson()));
      return 0;
    });
  }

  @Command(name = "list", description = "List plans, newest first.")
  int list(@Option(names = "--archived", description = "include archived plans") boolean archived,
      @Option(names = "--json") boolean json) {
    return AdminCli.withContext(context -> {
      JsonArray plans = context.await(Plans.list(context.pool, archived, 100));
      StringBuilder human = new StringBuilder();
      plans.forEach(plan -> human.append(describe((JsonObject) plan)).append('\n'));
      CliContext.print(new JsonObject().put("data", plans), json, human.toString().stripTrailing());
      return 0;
    });
  }

  @Command(name = "archive", description = "Archive a plan: merchants on it stay, nobody new may move to it.")
  int archive(@Parameters(paramLabel = "PLAN", description = "plan id or name") String plan, @Option(names = "--json") boolean json) {
    return AdminCli.withContext(context -> {
      Plan archived = context.await(Plans.archive(context.pool, plan));
      context.audit("plan archive", null, archived.id());
      CliContext.print(archived.toJson(), json, describe(archived.toJson()));
      return 0;
    });
  }

  private static String describe(JsonObject plan) {
    return plan.getString("id") + "  " + plan.getString("name") + (plan.getBoolean("archived") ? "  (archived)" : "")
        + "  fees " + plan.getJsonObject("fees").encode() + "  monthly " + plan.getJsonObject("monthly_fee").encode()
        + "  limits " + plan.getJsonObject("limits").encode();
  }

  private static JsonObject feeRules(List<String> specs) {
    JsonObject fees = new JsonObject();
    for (String spec : specs == null ? List.<String>of() : specs) {
      String[] parts = spec.split(":");
      if (parts.length < 3 || parts.length > 4) {
        throw new CliContext.CliFailure("--fee " + spec + ": expected CUR:BPS:FIXED[:CAP], e.g. NGN:150:10000:200000");
      }
      JsonObject rule = new JsonObject().put("percent_bps", number(parts[1], spec)).put("fixed", number(parts[2], spec));
      if (parts.length == 4) {
        rule.put("cap", number(parts[3], spec));
      }
      fees.put(parts[0], rule);
    }
    return fees;
  }

  private static JsonObject amounts(List<String> specs) {
    JsonObject amounts = new JsonObject();
    for (String spec : specs == null ? List.<String>of() : specs) {
      String[] parts = spec.split(":");
      if (parts.length != 2) {
        throw new CliContext.CliFailure("--monthly-fee " + spec + ": expected CUR:AMOUNT in minor units, e.g. NGN:500000");
      }
      amounts.put(parts[0], number(parts[1], spec));
    }
    return amounts;
  }

  private static long number(String text, String spec) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new CliContext.CliFailure(spec + ": " + text + " is not a whole number of minor units / basis points");
    }
  }

  private static void putIfSet(JsonObject json, String field, Object value) {
    if (value != null) {
      json.put(field, value);
    }
  }
}
