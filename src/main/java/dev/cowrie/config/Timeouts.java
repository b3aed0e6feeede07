package dev.cowrie.config;

/**
 * The time budget of a request, derived in one place so no caller gives up while the work it asked
 * for may still be running. A plain command gets {@code bus.request_timeout_ms}; a command that calls a
 * provider gets one provider call ({@code provider.timeout_ms}) more; a payment creation may try up to
 * {@code provider.routes_tried_max} connections in turn (routing's fallbacks), each one provider call.
 */
public record Timeouts(long commandMs, long providerCallMs, int routesTriedMax) {

  public static Timeouts of(CowrieConfig config) {
    return new Timeouts(config.bus().requestTimeoutMs(), config.provider().timeoutMs(),
        config.provider().routesTriedMax());
  }

  /** A command that makes one provider call (verify, cancel, refund, a reconciler's look). */
  public long withProviderCallMs() {
    return commandMs + providerCallMs;
  }

  /** A payment creation (or a resumed one): every connection routing may try, plus the command itself. */
  public long creationMs() {
    return commandMs + routesTriedMax * providerCallMs;
  }

  /** A command that waits on another within it: the inner one's budget and one more hop. */
  public long around(long innerMs) {
    return innerMs + commandMs;
  }

  /** A provider callback: its intake, then applying it (which may verify with the provider). */
  public long callbackMs() {
    return commandMs + withProviderCallMs();
  }
}
