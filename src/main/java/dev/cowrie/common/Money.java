package dev.cowrie.common;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.Set;

/** An amount in a currency's minor unit. Never a float: conversions go through BigDecimal. */
public record Money(long amount, String currency) {
  /** Upper bound for one amount, far below Long.MAX_VALUE so sums of many cannot overflow. */
  public static final long AMOUNT_MAX = 1_000_000_000_000_000L;
  // ISO 4217 codes that are not money people pay with (precious metals, testing, SDRs).
  private static final Set<String> NOT_PAYABLE = Set.of("XAU", "XAG", "XPD", "XPT", "XDR", "XTS", "XXX", "XSU", "XUA",
      "XBA", "XBB", "XBC", "XBD");

  public Money {
    if (amount < 0 || amount > AMOUNT_MAX) {
      throw new IllegalArgumentException("amount out of range: " + amount);
    }
    exponent(currency); // throws for unknown currencies
  }

  /** Is this an ISO 4217 currency Cowrie accepts (upper case, 3 letters)? */
  public static boolean isCurrency(String code) {
    if (code == null || code.length() != 3 || !code.equals(code.toUpperCase(Locale.ROOT)) || NOT_PAYABLE.contains(code)) {
      return false;
    }
    try {
      return Currency.getInstance(code).getDefaultFractionDigits() >= 0;
    } catch (IllegalArgumentException unknown) {
      return false;
    }
  }

  /** Digits after the decimal point in the currency's major unit: NGN 2, JPY 0, KWD 3. */
  public static int exponent(String code) {
    if (!isCurrency(code)) {
      throw new IllegalArgumentException("not a currency: " + code);
    }
    return Currency.getInstance(code).getDefaultFractionDigits();
  }

  /** Major units as an exact decimal: 150000 NGN → 1500.00. */
  public BigDecimal toMajor() {
    return BigDecimal.valueOf(amount, exponent(currency));
  }

  /** Minor units from an exact major-unit decimal; fails if it has more digits than the currency allows. */
  public static Money ofMajor(BigDecimal major, String currency) {
    BigDecimal minor = major.movePointRight(exponent(currency));
    return new Money(minor.longValueExact(), currency);
  }

  /**
   * For people: the locale's grouping and symbol, always with the ISO code when the symbol is not
   * it, so an amount is never read in the wrong currency ("₦2,500.00 NGN", "¥1,200 JPY", "2,500.00 KES").
   */
  public String display(Locale locale) {
    java.text.NumberFormat format = java.text.NumberFormat.getCurrencyInstance(locale);
    Currency unit = Currency.getInstance(currency);
    format.setCurrency(unit);
    format.setMinimumFractionDigits(exponent(currency));
    format.setMaximumFractionDigits(exponent(currency));
    String shown = format.format(toMajor()).replace('\u00a0', ' ').strip();
    // Locales that print the code itself glue it to the digits ("NGN1,500.00"): a space reads better.
    return shown.contains(currency) ? shown.replaceFirst("^" + currency + "(?=[0-9])", currency + " ") : shown + " " + currency;
  }

  @Override
  public String toString() {
    return toMajor().toPlainString() + " " + currency;
  }
}
