package dev.cowrie.dashboard;

import dev.cowrie.common.Money;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/** A payment's ledger entries as its dashboard page lists them: what each entry moved, account by account. */
public record LedgerRows(String kind, String reference, String createdAt, List<String> postings) {

  static List<LedgerRows> of(JsonArray entries, Locale locale) {
    return Dashboard.objects(entries).stream().map(entry -> new LedgerRows(entry.getString("kind"),
        entry.getString("reference"), entry.getString("created_at"),
        Dashboard.objects(entry.getJsonArray("postings")).stream().map(posting -> posting(posting, locale)).toList())).toList();
  }

  /** "merchant_available +₦2,462.50 NGN": the account, then a credit (+) or a debit (−) in the currency. */
  private static String posting(JsonObject posting, Locale locale) {
    long amount = posting.getLong("amount");
    String currency = posting.getString("currency");
    String shown = Money.isCurrency(currency) ? new Money(Math.abs(amount), currency).display(locale)
        : Math.abs(amount) + " " + currency;
    String owner = posting.getString("owner");
    return posting.getString("account") + (owner == null ? "" : " (" + owner + ")") + " " + (amount < 0 ? "−" : "+") + shown;
  }
}
