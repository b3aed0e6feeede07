package dev.cowrie.requests;

/** Event-bus addresses of the payment-request area (RequestsVerticle). */
public final class RequestsAddresses {
  public static final String CREATE = "cowrie.requests.create";
  public static final String GET = "cowrie.requests.get";
  public static final String LIST = "cowrie.requests.list";
  public static final String SENT = "cowrie.requests.sent";
  public static final String RECEIVED = "cowrie.requests.received";
  public static final String VERIFY = "cowrie.requests.verify";
  public static final String PREVIEW = "cowrie.requests.preview";
  /** The QR of a pay link (or of one of its accepted addresses), for the public request page. */
  public static final String PUBLIC_QR = "cowrie.requests.public_qr";
  public static final String QR = "cowrie.requests.qr";
  public static final String KEYS = "cowrie.requests.keys";
  public static final String ROTATE_KEY = "cowrie.requests.rotate_key";
  public static final String CANCEL = "cowrie.requests.cancel";
  /**
   * A wallet transfer paying a request (chat): {@code hold} before the money moves (refuses an
   * unpayable request or an overpayment), {@code settle} after it moved (the tally grows, answers the
   * request or null), {@code release} if it did not. Each is keyed by the payer and the transfer key.
   */
  public static final String HOLD = "cowrie.requests.hold";
  public static final String SETTLE = "cowrie.requests.settle";
  public static final String RELEASE = "cowrie.requests.release";
  /** A wallet user pays a request from their wallet (its page, or the API): hold, transfer, settle in one call. */
  public static final String PAY = "cowrie.requests.pay";
  /** Published after a rotation so every node reloads its keys. */
  public static final String KEYS_CHANGED = "cowrie.requests.keys_changed";

  private RequestsAddresses() {}
}
