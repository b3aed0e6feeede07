package dev.cowrie.recurring;

import dev.cowrie.common.SecretBox;
import dev.cowrie.common.Secrets;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A provider's token charges a customer's card without them (Paystack authorization_code, a
 * Flutterwave card token, a Stripe PaymentMethod), so at rest it is sealed with the master key like
 * provider credentials, bound to its connection; a hash finds a token saved twice.
 */
final class SavedTokens {
  private final SecretBox box;

  SavedTokens(byte[] masterKey) {
    this.box = new SecretBox(masterKey);
  }

  String seal(String token, String connectionId) {
    return Base64.getEncoder().encodeToString(box.seal(token.getBytes(StandardCharsets.UTF_8), context(connectionId)));
  }

  String open(String sealed, String connectionId) {
    return new String(box.open(Base64.getDecoder().decode(sealed), context(connectionId)), StandardCharsets.UTF_8);
  }

  static String hash(String token) {
    return Secrets.sha256Hex(token);
  }

  private static String context(String connectionId) {
    return "saved_token:" + connectionId;
  }
}
