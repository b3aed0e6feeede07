package dev.cowrie.payments;

import dev.cowrie.providers.ProviderStatus;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A payment's status and the status machine of API.md (the database enforces the same table,
 * payment_transitions). The API's and the database's string is {@link #api()}; this is the one
 * place they map.
 */
public enum PaymentStatus {
  REQUIRES_ACTION, PROCESSING, SUCCEEDED, FAILED, CANCELED, PARTIALLY_REFUNDED, REFUNDED;

  private static final Map<PaymentStatus, Set<PaymentStatus>> LEGAL = Map.of(
      REQUIRES_ACTION, EnumSet.of(PROCESSING, SUCCEEDED, FAILED, CANCELED),
      PROCESSING, EnumSet.of(SUCCEEDED, FAILED, CANCELED),
      SUCCEEDED, EnumSet.of(PARTIALLY_REFUNDED, REFUNDED),
      PARTIALLY_REFUNDED, EnumSet.of(REFUNDED));

  /** As the API and the payments table spell it. */
  public String api() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status the API names, or null when {@code api} is null or names none. */
  public static PaymentStatus fromApi(String api) {
    return api == null ? null : Arrays.stream(values()).filter(status -> status.api().equals(api)).findFirst().orElse(null);
  }

  /** The payment status a provider's status means, or null for {@link ProviderStatus#UNKNOWN} (asked again later). */
  public static PaymentStatus of(ProviderStatus status) {
    return switch (status) {
      case REQUIRES_ACTION -> REQUIRES_ACTION;
      case PROCESSING -> PROCESSING;
      case SUCCEEDED -> SUCCEEDED;
      case FAILED -> FAILED;
      case CANCELED -> CANCELED;
      case UNKNOWN -> null;
    };
  }

  /** Every status as the API spells it, sorted (for error messages). */
  static String allForHumans() {
    return Arrays.stream(values()).map(PaymentStatus::api).collect(Collectors.toCollection(TreeSet::new)).toString()
        .replaceAll("[\\[\\]]", "");
  }

  boolean canMoveTo(PaymentStatus target) {
    return LEGAL.getOrDefault(this, Set.of()).contains(target);
  }

  /** The event type for entering this status, or null when it has no event. */
  String eventType() {
    return switch (this) {
      case PROCESSING, SUCCEEDED, FAILED, CANCELED -> "payment." + api();
      default -> null;
    };
  }
}
