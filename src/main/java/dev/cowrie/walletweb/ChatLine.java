package dev.cowrie.walletweb;

import dev.cowrie.common.Money;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * One chat message as the room page shows it: text, a transfer's receipt (with the tally of the
 * payment request it answered), or a payment request with its Pay button. room.js renders live
 * frames the same way.
 */
public record ChatLine(String id, long seq, String sender, boolean mine, String kind, String text, String requestId,
    String payUrl, String remaining, String currency, boolean payable) {

  static ChatLine of(JsonObject message, String me, Locale locale) {
    String sender = message.getString("sender");
    String kind = message.getString("kind");
    boolean mine = me.equals(sender);
    return switch (kind) {
      case "transfer" -> {
        JsonObject transfer = message.getJsonObject("transfer", new JsonObject());
        String paid = WalletHome.money(transfer.getLong("amount", 0L), transfer.getString("currency", "NGN"), locale);
        JsonObject request = transfer.getJsonObject("payment_request");
        String text = transfer.getString("from") + " paid " + paid + " to " + transfer.getString("to")
            + (request == null ? "" : answering(request, locale));
        yield new ChatLine(message.getString("id"), message.getLong("seq"), sender, mine, kind, text, null, null, null, null, false);
      }
      case "payment_request" -> {
        JsonObject request = message.getJsonObject("payment_request", new JsonObject());
        String currency = request.getString("currency", "NGN");
        long left = Math.max(request.getLong("amount", 0L) - request.getLong("paid_amount", 0L), 0);
        String description = request.getString("description");
        String text = sender + " asks for " + WalletHome.money(request.getLong("amount", 0L), currency, locale)
            + (description == null || description.isEmpty() ? "" : ": " + description);
        boolean open = "open".equals(request.getString("status")) || "partially_paid".equals(request.getString("status"));
        yield new ChatLine(message.getString("id"), message.getLong("seq"), sender, mine, kind, text, request.getString("id"),
            request.getString("pay_url") == null ? null : WalletHome.path(request.getString("pay_url")),
            Money.isCurrency(currency) ? new Money(left, currency).toMajor().toPlainString() : String.valueOf(left), currency,
            open && !mine);
      }
      default -> new ChatLine(message.getString("id"), message.getLong("seq"), sender, mine, kind, message.getString("text"),
          null, null, null, null, false);
    };
  }

  /** What a transfer answering a payment request says of it: its words (not its id) and its tally. */
  private static String answering(JsonObject request, Locale locale) {
    String description = request.getString("description");
    String currency = request.getString("currency");
    return (description == null || description.isBlank() ? " for their request" : " for \u201c" + description + "\u201d")
        + ": " + WalletHome.money(request.getLong("paid_amount"), currency, locale) + " of "
        + WalletHome.money(request.getLong("amount"), currency, locale) + " paid ("
        + request.getString("status").replace('_', ' ') + ")";
  }
}
