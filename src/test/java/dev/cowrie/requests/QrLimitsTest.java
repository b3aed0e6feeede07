package dev.cowrie.requests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.qrcode.QRCodeWriter;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import dev.cowrie.testing.WalletUsers;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** QR decoding is bounded: in pixels and bit depth, in the workers it may use, and in the caller's rate limit. */
class QrLimitsTest {
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(QrLimitsTest.class, Map.of("COWRIE_QR_DECODE_WORKERS", "1", "COWRIE_QR_DECODE_IN_FLIGHT_MAX", "2"));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void imagesTooLargeOrTooDeepAreRefusedWith400NamingTheProblem() throws Exception {
    TestGateway.Merchant merchant = gateway.createMerchant("Qr Bounds Shop");
    // The image: 16-bit 4096 x 4096, a 33 KB file that decodes to 32 MB of samples.
    assertRefused(verify(merchant.secret(), image(4096, 4096, BufferedImage.TYPE_USHORT_GRAY)), "4096 x 4096 pixels");
    assertRefused(verify(merchant.secret(), image(64, 64, BufferedImage.TYPE_USHORT_GRAY)), "16 bits per sample");
    assertRefused(verify(merchant.secret(), image(3000, 3000, BufferedImage.TYPE_BYTE_GRAY)), "3000 x 3000 pixels");
    // Within the bounds, an image without a QR code is still an answer, not an error.
    Response plain = verify(merchant.secret(), image(64, 64, BufferedImage.TYPE_BYTE_GRAY));
    assertEquals(200, plain.status(), plain.toString());
    assertEquals("unreadable_qr", plain.json().getString("reason"));
  }

  @Test
  void aDecodeCostsTheCallerTenTokensOfItsRateLimit() throws Exception {
    TestGateway.Merchant merchant = gateway.createMerchant("Qr Budget Shop");
    gateway.query("UPDATE merchants SET rate_limit_per_second = 1, rate_limit_burst = 25 WHERE id = $1", merchant.id());
    byte[] qr = qrImage("https://example.com/pay/hello", 200);
    assertEquals(200, verify(merchant.secret(), qr).status());
    assertEquals(200, verify(merchant.secret(), qr).status());
    Response third = verify(merchant.secret(), qr, "decode-3"); // 25 tokens pay for two decodes of 10, not three
    assertEquals(429, third.status(), third.toString());
    assertEquals("rate_limited", third.json().getJsonObject("error").getString("code"));
    assertNotNull(third.header("Retry-After"));
    // The 429 came from inside the request, yet it is not stored as the key's answer: a retry is judged afresh.
    Response retried = verify(merchant.secret(), qr, "decode-3");
    assertEquals(null, retried.header("Idempotent-Replayed"), retried.toString());
  }

  @Test
  void concurrentDecodesKeepToTheirPoolAndALoginStillAnswers() throws Exception {
    TestGateway.Merchant merchant = gateway.createMerchant("Qr Crowd Shop");
    WalletUsers.User user = WalletUsers.create(gateway, merchant, "crowd");
    byte[] large = qrImage("https://example.com/pay/crowd", 1900);
    List<Future<Response>> decodes = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      decodes.add(gateway.post("/v1/payment_requests/verify").bearer(merchant.secret())
          .json(new JsonObject().put("qr_png", Base64.getEncoder().encodeToString(large))).sendAsync());
    }
    WalletUsers.login(gateway, merchant, "crowd", user.id()); // bcrypt on the shared workers: answers 200 (asserted inside)
    for (Future<Response> decode : decodes) {
      Response answer = TestGateway.await(decode);
      assertTrue(answer.status() == 200 || answer.status() == 503, answer.toString());
      if (answer.status() == 503) {
        assertEquals("service_unavailable", answer.json().getJsonObject("error").getString("code"));
        assertNotNull(answer.header("Retry-After"));
      } else {
        assertEquals(false, answer.json().getBoolean("valid"), answer.toString());
        assertTrue(!"unreadable_qr".equals(answer.json().getString("reason")), "the code was read: " + answer);
      }
    }
  }

  private static void assertRefused(Response response, String naming) {
    assertEquals(400, response.status(), response.toString());
    JsonObject error = response.json().getJsonObject("error");
    assertEquals("parameter_invalid", error.getString("code"));
    assertEquals("qr_png", error.getString("param"));
    assertTrue(error.getString("message").contains(naming), response.toString());
  }

  private static Response verify(String key, byte[] png) {
    return gateway.post("/v1/payment_requests/verify").bearer(key)
        .json(new JsonObject().put("qr_png", Base64.getEncoder().encodeToString(png))).send();
  }

  private static Response verify(String key, byte[] png, String idempotencyKey) {
    return gateway.post("/v1/payment_requests/verify").bearer(key).idempotencyKey(idempotencyKey)
        .json(new JsonObject().put("qr_png", Base64.getEncoder().encodeToString(png))).send();
  }

  static byte[] image(int width, int height, int type) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(width, height, type), "png", out);
    return out.toByteArray();
  }

  static byte[] qrImage(String text, int sizePixels) throws Exception {
    var matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, sizePixels, sizePixels);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MatrixToImageWriter.writeToStream(matrix, "PNG", out);
    return out.toByteArray();
  }
}
