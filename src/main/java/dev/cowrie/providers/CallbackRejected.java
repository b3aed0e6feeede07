package dev.cowrie.providers;

/** A callback whose signature is bad, missing or stale: answered 401, nothing stored as verified. */
public final class CallbackRejected extends RuntimeException {
  public CallbackRejected(String reason) {
    super(reason, null, false, false);
  }
}
