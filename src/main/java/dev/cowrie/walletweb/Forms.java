package dev.cowrie.walletweb;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Money;
import dev.cowrie.http.PageCall;
import java.math.BigDecimal;

/** Form fields people type, read into what the bus commands take (amounts in minor units). */
final class Forms {
  private Forms() {}

  /** "25", "25.50" or "2,500.00" of a currency's major unit, as minor units; a clear error naming the field otherwise. */
  static long amount(PageCall call, String field, String currency) {
    String text = call.form(field);
    if (text == null) {
      throw CowrieError.missing(field);
    }
    try {
      long minor = Money.ofMajor(new BigDecimal(text.replace(",", "")), currency).amount();
      if (minor <= 0) {
        throw CowrieError.invalid(field, "Enter an amount above zero.");
      }
      return minor;
    } catch (NumberFormatException | ArithmeticException notAnAmount) {
      throw CowrieError.invalid(field, "Enter an amount like 25.00 (" + Money.exponent(currency) + " digits after the point at most).");
    } catch (IllegalArgumentException tooLarge) {
      throw CowrieError.invalid(field, "That amount is too large.");
    }
  }

  static String currency(PageCall call, String field) {
    String code = call.form(field);
    if (code == null || !Money.isCurrency(code.toUpperCase(java.util.Locale.ROOT))) {
      throw CowrieError.invalid(field, "Choose a currency such as NGN, KES or USD.");
    }
    return code.toUpperCase(java.util.Locale.ROOT);
  }

  /** A payment PIN, when the person typed one. */
  static String pin(PageCall call) {
    String pin = call.form("pin");
    if (pin != null && !pin.matches("[0-9]{4,6}")) {
      throw CowrieError.invalid("pin", "Your PIN is 4 to 6 digits.");
    }
    return pin;
  }
}
