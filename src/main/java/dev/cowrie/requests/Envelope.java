package dev.cowrie.requests;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The signed wrapper every message travels in, base64url without padding:
 * {@code header(1) kid(2) body signature(64)}. The header is {@code version(3 bits) kind(2)
 * deflated(1) 00}. The body is raw-deflated when that makes it shorter (long descriptions,
 * proofs); the few dozen bytes of a typical request would only grow, so they travel stored.
 * The Ed25519 signature covers header, kid and body exactly as sent, so it is checked before
 * anything is inflated or parsed.
 */
final class Envelope {
  static final int VERSION = 1;
  static final int KIND_REQUEST = 0;
  static final int KIND_CONFIRMATION = 1;
  static final int SIGNATURE_BYTES = 64;
  static final int ENCODED_CHARS_MAX = 4096;
  static final int BODY_BYTES_MAX = 2048;
  private static final int DEFLATED = 0x04;

  private Envelope() {}

  /** A message whose signature checked out: its kind, signing key and inflated body. */
  record Opened(int kind, String kid, byte[] body) {}

  interface Signer {
    byte[] sign(byte[] data);
  }

  interface Verifier {
    /** Whether the key named by kid signed data; throws BadMessage("unknown_key") for a kid we never had. */
    boolean verify(String kid, byte[] data, byte[] signature) throws BadMessage;
  }

  static String seal(int kind, byte[] kidBytes, byte[] body, Signer signer) {
    byte[] deflated = deflate(body);
    boolean useDeflated = deflated.length < body.length;
    byte[] chosen = useDeflated ? deflated : body;
    byte[] signed = new byte[3 + chosen.length];
    signed[0] = (byte) (VERSION << 5 | kind << 3 | (useDeflated ? DEFLATED : 0));
    signed[1] = kidBytes[0];
    signed[2] = kidBytes[1];
    System.arraycopy(chosen, 0, signed, 3, chosen.length);
    byte[] signature = signer.sign(signed);
    byte[] all = Arrays.copyOf(signed, signed.length + SIGNATURE_BYTES);
    System.arraycopy(signature, 0, all, signed.length, SIGNATURE_BYTES);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(all);
  }

  static Opened open(String encoded, Verifier verifier) throws BadMessage {
    if (encoded == null || encoded.isBlank()) {
      throw new BadMessage("malformed", "The message is empty.");
    }
    if (encoded.length() > ENCODED_CHARS_MAX) {
      throw new BadMessage("malformed", "The message is longer than any Cowrie message.");
    }
    byte[] all;
    try {
      all = Base64.getUrlDecoder().decode(encoded.trim());
    } catch (IllegalArgumentException e) {
      throw new BadMessage("malformed", "The message is not base64url text.");
    }
    return open(all, verifier);
  }

  static Opened open(byte[] all, Verifier verifier) throws BadMessage {
    if (all.length < 3 + 1 + SIGNATURE_BYTES) {
      throw new BadMessage("truncated", "The message is too short to carry a signature.");
    }
    int header = all[0] & 0xff;
    if (header >>> 5 != VERSION || (header & 0x03) != 0 || ((header >>> 3) & 0x03) > KIND_CONFIRMATION) {
      throw new BadMessage("unsupported_version", "The message is not a version " + VERSION + " Cowrie message.");
    }
    String kid = SigningKeys.kid(new byte[] {all[1], all[2]});
    byte[] signed = Arrays.copyOf(all, all.length - SIGNATURE_BYTES);
    byte[] signature = Arrays.copyOfRange(all, all.length - SIGNATURE_BYTES, all.length);
    if (!verifier.verify(kid, signed, signature)) {
      throw new BadMessage("bad_signature", "The signature does not match: the message was altered or not signed by this instance.");
    }
    byte[] body = Arrays.copyOfRange(signed, 3, signed.length);
    return new Opened((header >>> 3) & 0x03, kid, (header & DEFLATED) != 0 ? inflate(body) : body);
  }

  private static byte[] deflate(byte[] body) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    try {
      deflater.setInput(body);
      deflater.finish();
      byte[] buffer = new byte[body.length + 64];
      int length = deflater.deflate(buffer);
      return deflater.finished() ? Arrays.copyOf(buffer, length) : body;
    } finally {
      deflater.end();
    }
  }

  /** Inflates at most BODY_BYTES_MAX bytes: a signed message is ours, but the bound costs nothing. */
  private static byte[] inflate(byte[] deflated) throws BadMessage {
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(deflated);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[512];
      while (!inflater.finished()) {
        int count = inflater.inflate(buffer);
        if (count == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new BadMessage("malformed", "The compressed body is incomplete.");
        }
        out.write(buffer, 0, count);
        if (out.size() > BODY_BYTES_MAX) {
          throw new BadMessage("malformed", "The compressed body is too large.");
        }
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new BadMessage("malformed", "The compressed body is corrupt.");
    } finally {
      inflater.end();
    }
  }
}
