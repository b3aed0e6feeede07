package dev.cowrie.plans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Money;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The fee formula: percentage rounded half-up to the currency's minor unit, plus fixed, capped, never above the amount. */
class FeeRuleTest {
  @Test
  void twoDecimalCurrencyNgn() {
    FeeRule ngn = new FeeRule(150, 10_000, 200_000L); // 1.5 % + 100.00 NGN, at most 2000.00 NGN
    assertEquals(13_750, ngn.feeFor(250_000));      // 3750 + 10000
    assertEquals(10_185, ngn.feeFor(12_345));       // 185.175 kobo → 185, + 10000
    assertEquals(200_000, ngn.feeFor(20_000_000));  // 310000 capped
    assertEquals(5_000, ngn.feeFor(5_000));         // never more than the payment
    assertEquals(2, new FeeRule(150, 0, null).feeFor(100)); // 1.5 kobo rounds half-up to 2
    assertEquals(1, new FeeRule(150, 0, null).feeFor(99));  // 1.485 → 1
  }

  @Test
  void zeroDecimalCurrencyJpy() {
    assertEquals(0, Money.exponent("JPY"));
    FeeRule jpy = new FeeRule(250, 30, 1_000L); // 2.5 % + ¥30, at most ¥1000
    assertEquals(61, jpy.feeFor(1_234));    // 30.85 yen → 31, + 30
    assertEquals(55, jpy.feeFor(1_000));    // 25 + 30
    assertEquals(1_000, jpy.feeFor(50_000)); // 1280 capped
    assertEquals(31, new FeeRule(250, 0, null).feeFor(1_230)); // 30.75 → 31
  }

  @Test
  void threeDecimalCurrencyKwd() {
    assertEquals(3, Money.exponent("KWD"));
    FeeRule kwd = new FeeRule(175, 100, 5_000L); // 1.75 % + 0.100 KWD, at most 5.000 KWD
    assertEquals(276, kwd.feeFor(10_050));       // 175.875 fils → 176, + 100
    assertEquals(5_000, kwd.feeFor(1_000_000));  // 17600 capped
    assertEquals(28, kwd.feeFor(28));            // 0.49 fils → 0, + 100, but at most the amount: 28
    assertEquals(103, kwd.feeFor(158));          // 2.765 fils → 3, + 100
  }

  @Test
  void feeNeverExceedsTheAmountAndHugeAmountsDoNotOverflow() {
    assertEquals(Money.AMOUNT_MAX, new FeeRule(FeeRule.BPS_MAX, Money.AMOUNT_MAX, null).feeFor(Money.AMOUNT_MAX));
    assertEquals(Money.AMOUNT_MAX / 100 * 3, new FeeRule(300, 0, null).feeFor(Money.AMOUNT_MAX));
  }

  @Test
  void requestFieldsAreCheckedAndNamed() {
    CowrieError bps = assertThrows(CowrieError.class, () -> FeeRule.fromRequest(new JsonObject().put("percent_bps", 10_001), "fees.NGN"));
    assertEquals("fees.NGN.percent_bps", bps.param);
    CowrieError decimal = assertThrows(CowrieError.class, () -> FeeRule.fromRequest(new JsonObject().put("fixed", 1.5), "fees.NGN"));
    assertEquals("fees.NGN.fixed", decimal.param);
    CowrieError negative = assertThrows(CowrieError.class, () -> FeeRule.fromRequest(new JsonObject().put("cap", -1), "fees.NGN"));
    assertEquals("fees.NGN.cap", negative.param);
    CowrieError unknown = assertThrows(CowrieError.class, () -> FeeRule.fromRequest(new JsonObject().put("percent", 1), "fees.NGN"));
    assertEquals("fees.NGN.percent", unknown.param);
  }
}
