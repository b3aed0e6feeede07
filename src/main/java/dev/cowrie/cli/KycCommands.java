package dev.cowrie.cli;

import dev.cowrie.auth.Profiles;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cowrie admin kyc list | show | approve | reject MERCHANT [--reason]}: the operator's review of merchants' KYC. */
@Command(name = "kyc", description = "Review merchants' business profiles: live mode opens once approved.",
    mixinStandardHelpOptions = true)
final class KycCommands {

  @Command(name = "list", description = "Merchants by KYC status (default: submitted, waiting for review).")
  int list(@Option(names = "--status", defaultValue = "submitted",
          description = "unverified, submitted, verified, rejected or all (default ${DEFAULT-VALUE})") String status,
      @Option(names = "--json") boolean json) {
    if (!java.util.List.of("unverified", "submitted", "verified", "rejected", "all").contains(status)) {
      throw new CliContext.CliFailure("--status must be unverified, submitted, verified, rejected or all");
    }
    return AdminCli.withContext(context -> {
      var list = context.await(Profiles.list(context.pool, status.equals("all") ? null : status, 500));
      StringBuilder human = new StringBuilder();
      list.forEach(item -> {
        JsonObject row = (JsonObject) item;
        human.append(row.getString("merchant")).append("  ").append(row.getString("kyc_status")).append("  ")
            .append(row.getString("legal_name") == null ? "(" + row.getString("name") + ")" : row.getString("legal_name"))
            .append("  documents: ").append(row.getLong("documents"))
            .append(row.getString("submitted_at") == null ? "" : "  submitted " + row.getString("submitted_at")).append('\n');
      });
      CliContext.print(new JsonObject().put("data", list), json, list.isEmpty() ? "(none " + status + ")" : human.toString().stripTrailing());
      return 0;
    });
  }

  @Command(name = "show", description = "A merchant's business details and documents.")
  int show(@Parameters(paramLabel = "MERCHANT") String merchantId, @Option(names = "--json") boolean json) {
    return AdminCli.withContext(context -> {
      JsonObject profile = context.await(Profiles.get(context.pool, merchantId));
      StringBuilder human = new StringBuilder();
      for (String field : new String[] {"merchant", "kyc_status", "kyc_reason", "legal_name", "trading_name", "country",
          "registration_number", "address", "website", "support_email", "submitted_at", "reviewed_at"}) {
        human.append(String.format("%-20s %s%n", field + ":", profile.getValue(field) == null ? "" : profile.getValue(field)));
      }
      profile.getJsonArray("documents").forEach(item -> {
        JsonObject doc = (JsonObject) item;
        human.append(String.format("document %s  %s  %s  %s  %d bytes%n", doc.getString("id"), doc.getString("kind"),
            doc.getString("filename"), doc.getString("content_type"), doc.getInteger("size_bytes")));
      });
      CliContext.print(profile, json, human.toString().stripTrailing());
      return 0;
    });
  }

  @Command(name = "approve", description = "Verify a submitted profile: live mode opens for the merchant.")
  int approve(@Parameters(paramLabel = "MERCHANT") String merchantId, @Option(names = "--json") boolean json) {
    return review(merchantId, true, null, json);
  }

  @Command(name = "reject", description = "Reject a submitted profile with a reason the merchant reads.")
  int reject(@Parameters(paramLabel = "MERCHANT") String merchantId,
      @Option(names = "--reason", required = true) String reason, @Option(names = "--json") boolean json) {
    if (reason.isBlank() || reason.length() > 1000) {
      throw new CliContext.CliFailure("--reason must be 1 to 1000 characters");
    }
    return review(merchantId, false, reason, json);
  }

  private static int review(String merchantId, boolean approve, String reason, boolean json) {
    return AdminCli.withContext(context -> {
      JsonObject profile = context.await(Profiles.review(context.pool, merchantId, approve, reason));
      context.audit(approve ? "kyc approve" : "kyc reject", merchantId, merchantId);
      CliContext.print(profile, json, merchantId + " " + profile.getString("kyc_status")
          + (approve ? ": live mode is open" : " (" + reason + ")"));
      return 0;
    });
  }
}
