package dev.cowrie.events;

import java.util.List;
import java.util.Set;

/** The event types of API.md; webhook subscriptions are checked against this list. */
public final class EventTypes {
  /** Subscribes an endpoint to every type, present and future. */
  public static final String ALL = "*";

  public static final List<String> KNOWN = List.of(
      "payment.created", "payment.processing", "payment.succeeded", "payment.failed", "payment.canceled",
      "payment.review_required",
      "refund.succeeded", "refund.failed", "transfer.completed", "payment_request.confirmed", "chat.message.created",
      "invoice.created", "invoice.paid", "invoice.payment_failed", "invoice.payment_required", "invoice.voided",
      "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted");

  private static final Set<String> KNOWN_SET = Set.copyOf(KNOWN);

  private EventTypes() {}

  public static boolean isKnown(String type) {
    return KNOWN_SET.contains(type);
  }
}
