package dev.cowrie.architecture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cowrie.callbacks.CallbackDelivery;
import dev.cowrie.common.CowrieError;
import dev.cowrie.payments.PaymentById;
import dev.cowrie.payments.PaymentCreate;
import dev.cowrie.payments.PaymentStatus;
import dev.cowrie.payments.ProviderReport;
import dev.cowrie.payments.RefundCreate;
import dev.cowrie.providers.ProviderStatus;
import dev.cowrie.providers.SavedMethod;
import dev.cowrie.security.Principal;
import dev.cowrie.wallets.TopupCreate;
import dev.cowrie.wallets.TransferCreate;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The records that travel on the bus arrive as they left: every field survives its JSON (a field a
 * record forgot to write would come back null here), and a record refuses what no sender may send.
 */
class BusRecordsTest {
  static final Principal MERCHANT = new Principal(Principal.Kind.SECRET_KEY, "mer_1", "test", "key_1", null, null);
  static final Principal WALLET_USER = new Principal(Principal.Kind.WALLET_USER, "mer_1", "test", "usr_1", "usr_1", "ada");

  @Test
  void aPaymentCreationKeepsEveryField() {
    PaymentCreate plain = PaymentCreate.of(MERCHANT, "req_1", "key-1", 12_500, "NGN").on("paystack")
        .with(new PaymentCreate.Details(new JsonObject().put("email", "ada@example.com"), "Order 7", "ord_7",
            "https://shop.example/back", new JsonObject().put("cart", 7)));
    assertEquals(plain, PaymentCreate.fromJson(plain.toJson()));

    PaymentCreate invoice = PaymentCreate.of(Principal.system("recurring", "mer_1", "test"), null, "invoice:in_1:1", 900, "USD")
        .forPurpose(PaymentCreate.Purpose.INVOICE, null)
        .charging(new PaymentCreate.SavedOn("conn_1", new SavedMethod("tok_1", "cus_1", "ada@example.com", null, null)), "stripe");
    PaymentCreate back = PaymentCreate.fromJson(invoice.toJson());
    assertEquals(invoice, back);
    assertEquals("invoice", invoice.toJson().getString("purpose"));

    PaymentCreate saving = PaymentCreate.of(WALLET_USER, null, null, 100, "KES").forPurpose(PaymentCreate.Purpose.WALLET_TOPUP, "usr_1")
        .savingMethod();
    assertEquals(saving, PaymentCreate.fromJson(saving.toJson()));
  }

  @Test
  void aPaymentOfNothingOrInNoCurrencyIsRefusedAtTheSender() {
    assertThrows(IllegalArgumentException.class, () -> PaymentCreate.of(MERCHANT, null, null, 0, "NGN"));
    assertThrows(IllegalArgumentException.class, () -> PaymentCreate.of(MERCHANT, null, null, 100, "XXX"));
    assertThrows(NullPointerException.class, () -> PaymentCreate.of(null, null, null, 100, "NGN"));
  }

  @Test
  void refundsTransfersTopUpsAndReadsKeepEveryField() {
    RefundCreate refund = new RefundCreate(MERCHANT, "req_2", "pay_1", 500L, "damaged", "key-2");
    assertEquals(refund, RefundCreate.fromJson(refund.toJson()));
    RefundCreate whole = new RefundCreate(MERCHANT, null, "pay_1", null, null, null);
    assertNull(RefundCreate.fromJson(whole.toJson()).amount(), "no amount: the rest of the payment");

    TransferCreate transfer = TransferCreate.of(WALLET_USER, new TransferCreate.Fields("ben", 700, "NGN", "lunch", "1234"), "chat:1");
    assertEquals(transfer, TransferCreate.fromJson(transfer.toJson()));

    TopupCreate topup = new TopupCreate(WALLET_USER, "req_3", 2_000, "KES", "sandbox", "page:1");
    assertEquals(topup, TopupCreate.fromJson(topup.toJson()));

    PaymentById read = PaymentById.asWorker("reconciler", "mer_1", "live", "pay_9");
    assertEquals(read, PaymentById.fromJson(read.toJson()));
  }

  @Test
  void aTransfersFieldsAreCheckedAsTheApiChecksThem() {
    CowrieError pin = assertThrows(CowrieError.class, () -> TransferCreate.Fields.from(new JsonObject()
        .put("to", "ben").put("amount", 100).put("currency", "NGN").put("pin", "12ab")));
    assertEquals("pin", pin.param);
    CowrieError amount = assertThrows(CowrieError.class, () -> TransferCreate.Fields.from(new JsonObject()
        .put("to", "ben").put("amount", 0).put("currency", "NGN")));
    assertEquals("amount", amount.param);
  }

  @Test
  void aProvidersStatusMeansOnePaymentStatusAndUnknownReportsNothing() {
    ProviderReport succeeded = ProviderReport.of("pay_1", ProviderStatus.SUCCEEDED, 100L, "NGN", null, null);
    assertEquals(PaymentStatus.SUCCEEDED, succeeded.status());
    assertEquals(succeeded, ProviderReport.fromJson(succeeded.toJson()));
    assertEquals("succeeded", succeeded.toJson().getString("status"));
    assertNull(ProviderReport.of("pay_1", ProviderStatus.UNKNOWN, null, null, null, null), "unknown is asked again, never applied");
    for (ProviderStatus status : ProviderStatus.values()) {
      PaymentStatus mapped = PaymentStatus.of(status);
      assertEquals(status == ProviderStatus.UNKNOWN, mapped == null, status.name());
      if (mapped != null) {
        assertEquals(status.name(), mapped.name(), "a provider's word for a state is the payment's");
      }
    }
  }

  @Test
  void aCallbackKeepsItsRawBytesAndReadsItsHeadersInLowerCase() {
    byte[] body = "{\"event\":\"charge.success\",\"amount\":1.5}\n".getBytes(StandardCharsets.UTF_8);
    CallbackDelivery delivery = new CallbackDelivery("conn_1", Map.of("X-Paystack-Signature", "abc"), body);
    CallbackDelivery back = CallbackDelivery.fromJson(delivery.toJson());
    assertEquals("conn_1", back.connectionId());
    assertEquals(Map.of("x-paystack-signature", "abc"), back.headers());
    assertArrayEquals(body, back.body());
  }
}
