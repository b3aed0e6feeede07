package dev.cowrie.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/** Money arithmetic and currency exponents, for every accepted currency and amount. */
class MoneyProperties {

  @Provide
  Arbitrary<String> currencies() {
    List<String> codes = Currency.getAvailableCurrencies().stream().map(Currency::getCurrencyCode)
        .filter(Money::isCurrency).sorted().toList();
    return Arbitraries.of(codes);
  }

  @Property
  void majorUnitsRoundTripExactly(@ForAll @LongRange(min = 0, max = Money.AMOUNT_MAX) long amount,
      @ForAll("currencies") String currency) {
    Money money = new Money(amount, currency);
    BigDecimal major = money.toMajor();
    assertEquals(Money.exponent(currency), major.scale());
    assertEquals(money, Money.ofMajor(major, currency));
    assertEquals(money, Money.ofMajor(new BigDecimal(major.toPlainString()), currency));
  }

  @Property
  void sumsOfMinorUnitsEqualSumsOfMajorUnits(@ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long a,
      @ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long b, @ForAll("currencies") String currency) {
    BigDecimal majorSum = new Money(a, currency).toMajor().add(new Money(b, currency).toMajor());
    assertEquals(new Money(a + b, currency), Money.ofMajor(majorSum, currency));
  }

  @Property
  void moreDecimalsThanTheCurrencyHasAreRefused(@ForAll("currencies") String currency,
      @ForAll @LongRange(min = 1, max = 9) long digit) {
    BigDecimal tooPrecise = BigDecimal.valueOf(digit, Money.exponent(currency) + 1);
    assertThrows(ArithmeticException.class, () -> Money.ofMajor(tooPrecise, currency));
  }

  @Property
  void integerAmountsAreAcceptedAndDecimalsRefused(@ForAll @LongRange(min = 1, max = Money.AMOUNT_MAX) long amount) {
    assertEquals(amount, Input.amount(new JsonObject().put("amount", amount), "amount"));
    CowrieError decimal = assertThrows(CowrieError.class,
        () -> Input.amount(new JsonObject("{\"amount\": " + amount + ".5}"), "amount"));
    assertEquals(ErrorCode.INVALID_AMOUNT, decimal.code);
  }

  @Example
  void knownExponents() {
    assertEquals(2, Money.exponent("NGN"));
    assertEquals(0, Money.exponent("JPY"));
    assertEquals(3, Money.exponent("KWD"));
    assertEquals(0, Money.exponent("UGX"));
    assertEquals("1500.00 NGN", new Money(150_000, "NGN").toString());
    assertEquals("1.500 KWD", new Money(1_500, "KWD").toString());
  }

  @Example
  void nonCurrenciesAreRefused() {
    for (String code : List.of("XAU", "XXX", "ngn", "NG", "ABC", "")) {
      assertEquals(false, Money.isCurrency(code), code);
    }
  }

  @Property
  void whatPeopleSeeAlwaysNamesTheCurrencyAndEveryDigit(@ForAll @LongRange(min = 0, max = Money.AMOUNT_MAX) long amount,
      @ForAll("currencies") String currency, @ForAll("locales") java.util.Locale locale) {
    String shown = new Money(amount, currency).display(locale);
    assertEquals(true, shown.contains(currency), shown);
    String digits = shown.replaceAll("[^0-9]", "");
    String expected = new Money(amount, currency).toMajor().toPlainString().replace(".", "");
    assertEquals(true, digits.startsWith(expected.replaceFirst("^0+(?=.)", "")) || digits.contains(expected), shown);
  }

  @Provide
  Arbitrary<java.util.Locale> locales() {
    return Arbitraries.of(java.util.Locale.UK, java.util.Locale.US, java.util.Locale.forLanguageTag("en-NG"),
        java.util.Locale.forLanguageTag("fr-FR"), java.util.Locale.forLanguageTag("de-DE"), java.util.Locale.JAPAN);
  }

  @Example
  void peopleSeeTheLocalesFormatWithTheCode() {
    assertEquals("₦2,500.00 NGN", new Money(250_000, "NGN").display(java.util.Locale.forLanguageTag("en-NG")));
    assertEquals("¥1,200 JPY", new Money(1_200, "JPY").display(java.util.Locale.US));
    assertEquals("NGN 1,500.00", new Money(150_000, "NGN").display(java.util.Locale.UK));
  }
}
