package dev.cowrie.payments;

import java.util.Map;
import java.util.Set;

/** The payment status machine of API.md. The database enforces the same table (payment_transitions). */
final class Transitions {
  static final Set<String> STATUSES = Set.of("requires_action", "processing", "succeeded", "failed", "canceled",
      "partially_refunded", "refunded");
  private static final Map<String, Set<String>> LEGAL = Map.of(
      "requires_action", Set.of("processing", "succeeded", "failed", "canceled"),
      "processing", Set.of("succeeded", "failed", "canceled"),
      "succeeded", Set.of("partially_refunded", "refunded"),
      "partially_refunded", Set.of("refunded"));

  private Transitions() {}

  static boolean legal(String from, String to) {
    return LEGAL.getOrDefault(from, Set.of()).contains(to);
  }

  /** The event type for entering a status, or null when the status has no event. */
  static String eventFor(String status) {
    return switch (status) {
      case "processing", "succeeded", "failed", "canceled" -> "payment." + status;
      default -> null;
    };
  }
}
