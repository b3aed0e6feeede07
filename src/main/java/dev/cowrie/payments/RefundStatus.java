package dev.cowrie.payments;

import dev.cowrie.providers.RefundResult;
import java.util.Locale;

/** A refund's status as the API and the refunds table spell it ({@link #api()}): the one place they map. */
public enum RefundStatus {
  PENDING, SUCCEEDED, FAILED;

  public String api() {
    return name().toLowerCase(Locale.ROOT);
  }

  static RefundStatus fromApi(String api) {
    return valueOf(api.toUpperCase(Locale.ROOT));
  }

  /** What the provider's answer settles: null while it is pending or unknown (the reconciler asks again). */
  static RefundStatus settledBy(RefundResult.Status status) {
    return switch (status) {
      case SUCCEEDED -> SUCCEEDED;
      case FAILED -> FAILED;
      case PENDING, UNKNOWN -> null;
    };
  }
}
