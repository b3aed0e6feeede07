package dev.cowrie.providers;

/** A provider answer the adapter cannot read; the attempt fails and the raw answer is kept. */
public final class MalformedAnswer extends RuntimeException {
  public MalformedAnswer(String reason) {
    super(reason, null, false, false);
  }

  /** Reads a required field, or fails as malformed. */
  public static <T> T require(T value, String what) {
    if (value == null) {
      throw new MalformedAnswer("missing " + what);
    }
    return value;
  }
}
