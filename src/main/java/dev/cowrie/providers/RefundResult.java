package dev.cowrie.providers;

/** A refund's state at the provider. */
public record RefundResult(Status status, String providerRefundId, String failureMessage) {
  public enum Status { PENDING, SUCCEEDED, FAILED, UNKNOWN }
}
