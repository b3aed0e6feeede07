package dev.cowrie.requests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decoding pool's queue is bounded: past it a decode is refused at once with a 503, and accepted again once there is room. */
class QrDecoderTest {

  @Test
  void aDecodePastTheBoundIsRefusedAtOnceAndTheNextOneAfterRoomIsMadeRuns() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      CowrieConfig config = CowrieConfig.load(Map.of("COWRIE_QR_DECODE_WORKERS", "1", "COWRIE_QR_DECODE_IN_FLIGHT_MAX", "1"));
      QrDecoder decoder = new QrDecoder(vertx, config);
      byte[] large = QrLimitsTest.qrImage("https://example.com/pay/bound", 1900);

      Future<String> first = decoder.read(large);
      Future<String> second = decoder.read(large); // the first still holds the only place
      assertTrue(second.failed(), "the second decode was not refused at once");
      CowrieError refused = CowrieError.from(second.cause());
      assertEquals(ErrorCode.SERVICE_UNAVAILABLE, refused.code);

      assertEquals("https://example.com/pay/bound", TestGateway.await(first));
      assertEquals("https://example.com/pay/bound", TestGateway.await(decoder.read(large)));
    } finally {
      TestGateway.await(vertx.close());
    }
  }
}
