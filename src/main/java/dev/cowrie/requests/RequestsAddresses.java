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
  public static final String QR = "cowrie.requests.qr";
  public static final String KEYS = "cowrie.requests.keys";
  public static final String ROTATE_KEY = "cowrie.requests.rotate_key";
  /** Published after a rotation so every node reloads its keys. */
  public static final String KEYS_CHANGED = "cowrie.requests.keys_changed";

  private RequestsAddresses() {}
}
