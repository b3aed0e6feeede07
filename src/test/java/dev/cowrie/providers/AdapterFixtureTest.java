package dev.cowrie.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.direct.DirectCallHttpServer;
import com.github.tomakehurst.wiremock.direct.DirectCallHttpServerFactory;
import com.github.tomakehurst.wiremock.http.Cookie;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.ImmutableRequest;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.http.Response;
import dev.cowrie.common.Secrets;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The fast adapter kit: an adapter's request mapping, answer reading and callback signature check,
 * run on its {@code providers/<name>/} fixtures with no network and no database. WireMock answers
 * in-process (a direct-call server: the same stub matching and templating as the wire kit, no
 * socket), so a request the adapter builds wrongly matches no fixture and fails here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AdapterFixtureTest {
  protected static final long AMOUNT = 10_000;
  protected static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");
  private WireMockServer wiremock;
  private DirectCallHttpServer provider;

  protected abstract ProviderAdapter adapter();

  protected abstract String currency();

  protected abstract JsonObject credentials();

  /** Verify outcomes the fixtures know (the {@code ref-<outcome>-} token) and what each must read as. */
  protected abstract Map<String, ProviderStatus> verifyOutcomes();

  /** Callback samples in {@code providers/<name>/callbacks/} and the kind each reads as. */
  protected abstract Map<String, CallbackEvent.Kind> callbackSamples();

  /** The headers the provider would send with this body at this time, by its documented scheme. */
  protected abstract Map<String, String> signedHeaders(byte[] body, Instant at);

  /** Whether the scheme carries a timestamp, so a stale callback must be refused. */
  protected abstract boolean signsTimestamp();

  /** Whether the fixtures answer a start with a reused reference by the provider's own 4xx (see duplicateStart). */
  protected boolean refusesDuplicateReferences() {
    return false;
  }

  /** Whether the provider's API is played by WireMock fixtures (the sandbox's is served by Cowrie itself). */
  protected boolean hasWireFixtures() {
    return true;
  }

  protected Connection connection() {
    return new Connection("conn_fixture", "mer_fixture", "test", adapter().name(),
        adapter().prepareCredentials(credentials()), "http://provider.invalid");
  }

  @BeforeAll
  void startProvider() {
    if (!hasWireFixtures()) {
      return;
    }
    DirectCallHttpServerFactory direct = new DirectCallHttpServerFactory();
    wiremock = new WireMockServer(WireMockConfiguration.options().httpServerFactory(direct)
        .usingFilesUnderDirectory("providers/" + adapter().name() + "/wiremock"));
    wiremock.start();
    WireMockKit.loadSharedMappings(wiremock);
    provider = direct.getHttpServer();
  }

  @AfterAll
  void stopProvider() {
    if (wiremock != null) {
      wiremock.stop();
    }
  }

  @Test
  void startMatchesTheFixtureAndReadsItsAnswer() {
    assumeTrue(hasWireFixtures(), "the provider's API is not played by WireMock");
    String reference = reference("success");
    StartResult started = adapter().readStart(connection(), start(reference), answer(adapter().startPayment(connection(), start(reference))));
    assertNotNull(started.redirectUrl(), "a hosted checkout to send the customer to");
  }

  @Test
  void everyVerifyOutcomeReadsAsItsStatus() {
    assumeTrue(hasWireFixtures(), "the provider's API is not played by WireMock");
    Map<String, ProviderStatus> read = new HashMap<>();
    verifyOutcomes().keySet().forEach(outcome -> read.put(outcome, verified(reference(outcome)).status()));
    assertEquals(verifyOutcomes(), read);
  }

  @Test
  void succeededVerifyReportsTheAmountAndCurrency() {
    assumeTrue(hasWireFixtures(), "the provider's API is not played by WireMock");
    StatusResult result = verified(reference("success"));
    assertEquals(AMOUNT, result.amount(), "minor units, converted back from the provider's unit");
    assertEquals(currency(), result.currency());
  }

  @Test
  void garbledAnswerIsMalformedNotGuessed() {
    assumeTrue(hasWireFixtures(), "the provider's API is not played by WireMock");
    PaymentStart start = start(reference("garbage"));
    HttpAnswer garbage = answer(adapter().startPayment(connection(), start));
    assertTrue(garbage.status() >= 200 && garbage.status() < 300, "a 2xx, so the adapter must read it: " + garbage.status());
    assertThrows(MalformedAnswer.class, () -> adapter().readStart(connection(), start, garbage),
        "a cut-off answer must never read as a started payment");
  }

  @Test
  void reusedReferenceIsRecognised() {
    assumeTrue(hasWireFixtures() && refusesDuplicateReferences(), "the provider has no duplicate-reference answer");
    HttpAnswer refused = answer(adapter().startPayment(connection(), start(reference("duplicate"))));
    assertTrue(refused.status() >= 400 && refused.status() < 500, refused.text());
    assertTrue(adapter().duplicateStart(refused), refused.text());
  }

  @Test
  void fullRefundIsAskedAndRead() {
    assumeTrue(hasWireFixtures(), "the provider's API is not played by WireMock");
    String reference = reference("success");
    StatusResult paid = verified(reference);
    String charge = paid.providerReference() != null ? paid.providerReference() : providerReference(reference);
    RefundStart refund = new RefundStart("re_" + tail(), reference, charge, AMOUNT, AMOUNT, currency(), "re_key");
    RefundResult result = adapter().readRefund(connection(), refund, answer(adapter().refund(connection(), refund)));
    assertTrue(result.status() != RefundResult.Status.UNKNOWN && result.status() != RefundResult.Status.FAILED,
        result.toString());
  }

  @Test
  void everyCallbackSampleVerifiesAndReadsAsItsKind() {
    for (Map.Entry<String, CallbackEvent.Kind> sample : callbackSamples().entrySet()) {
      String reference = reference("success");
      byte[] body = callbackBody(sample.getKey(), reference);
      CallbackEvent event = adapter().verifyCallback(connection(), lowerCase(signedHeaders(body, NOW)), body, NOW);
      assertEquals(sample.getValue(), event.kind(), sample.getKey());
      String tail = reference.substring(reference.length() - 26);
      assertTrue(String.valueOf(event.reference()).contains(tail) || String.valueOf(event.providerReference()).contains(tail),
          sample.getKey() + " names the payment: " + event);
    }
  }

  @Test
  void tamperedUnsignedOrStaleCallbacksAreRefused() {
    String sample = callbackSamples().keySet().iterator().next();
    byte[] body = callbackBody(sample, reference("success"));
    Map<String, String> headers = lowerCase(signedHeaders(body, NOW));
    byte[] tampered = new String(body).replace("0", "9").getBytes();
    assertThrows(CallbackRejected.class, () -> adapter().verifyCallback(connection(), headers, tampered, NOW));
    assertThrows(CallbackRejected.class, () -> adapter().verifyCallback(connection(), Map.of(), body, NOW));
    if (signsTimestamp()) {
      assertThrows(CallbackRejected.class,
          () -> adapter().verifyCallback(connection(), headers, body, NOW.plusSeconds(3600)));
    }
  }

  /** The gateway hands adapters lower-case header names. */
  private static Map<String, String> lowerCase(Map<String, String> headers) {
    Map<String, String> lower = new HashMap<>();
    headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
    return lower;
  }

  private StatusResult verified(String reference) {
    PaymentLookup lookup = new PaymentLookup(reference, providerReference(reference), currency());
    StatusResult result = adapter().readVerify(connection(), lookup, answer(adapter().verifyPayment(connection(), lookup)));
    // Like ProviderVerticle: one follow-up call (e.g. Stripe's PaymentIntent) decides.
    return result.followUp() == null ? result : adapter().readVerify(connection(), lookup, answer(result.followUp()));
  }

  /** The provider reference the start fixture hands back for this reference. */
  private String providerReference(String reference) {
    return adapter().readStart(connection(), start(reference), answer(adapter().startPayment(connection(), start(reference))))
        .providerReference();
  }

  private PaymentStart start(String reference) {
    return new PaymentStart(reference, reference, AMOUNT, currency(), "ada@example.com", "Order 1042",
        "https://shop.example/return", "http://127.0.0.1:8080/v1/callbacks/conn_fixture", reference + "-0");
  }

  /** A reference carrying the fixtures' tokens, as the wire kit's request filter makes them. */
  protected String reference(String outcome) {
    return "ref-" + outcome + "-amt" + AMOUNT + "-cur" + currency() + "-" + tail();
  }

  private static String tail() {
    return Secrets.randomToken(20).toLowerCase().replaceAll("[^a-z0-9]", "0").concat("000000").substring(0, 26);
  }

  protected HttpAnswer answer(HttpCall call) {
    HttpHeaders headers = new HttpHeaders(call.headers().entrySet().stream()
        .map(header -> new HttpHeader(header.getKey(), header.getValue())).toList());
    Response response = provider.stubRequest(new FixtureRequest("http://provider.invalid" + call.path(),
        RequestMethod.fromString(call.method().name()), headers, call.body() == null ? new byte[0] : call.body().getBytes()));
    return new HttpAnswer(response.getStatus(), Buffer.buffer(response.getBody() == null ? new byte[0] : response.getBody()));
  }

  /** A request handed to WireMock in-process; WireMock's templating wants a (here empty) cookie map. */
  private static final class FixtureRequest extends ImmutableRequest {
    FixtureRequest(String url, RequestMethod method, HttpHeaders headers, byte[] body) {
      super(url, method, "HTTP/1.1", "127.0.0.1", headers, body, false, false);
    }

    @Override
    public Map<String, Cookie> getCookies() {
      return Map.of();
    }
  }

  protected byte[] callbackBody(String sample, String reference) {
    try {
      return Files.readString(Path.of("providers", adapter().name(), "callbacks", sample))
          .replace("REF_PLACEHOLDER", reference).replace("AMOUNT_PLACEHOLDER", Long.toString(AMOUNT))
          .replace("CURRENCY_PLACEHOLDER", currency()).replace("EVENTID_PLACEHOLDER", "evt_fixture").getBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
