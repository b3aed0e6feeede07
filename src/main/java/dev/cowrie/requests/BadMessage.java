package dev.cowrie.requests;

/** Why an encoded message was refused: a short stable reason ("bad_signature", "truncated" …) and a sentence. */
public final class BadMessage extends Exception {
  public final String reason;

  BadMessage(String reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }
}
