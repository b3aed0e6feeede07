package dev.cowrie.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration is read once into typed records: what the operator sets is what the code sees, and a typo stops the start. */
class CowrieConfigTest {

  @Test
  void defaultsAndOverridesArriveTyped() {
    CowrieConfig config = CowrieConfig.load(Map.of("COWRIE_HTTP_PORT", "9091", "COWRIE_WEBHOOK_BACKOFF_MS", "1000, 60000",
        "COWRIE_RATE_LIMIT_PER_KEY_BURST", "7", "COWRIE_PG_SYSTEM_POOL_SIZE", "3", "COWRIE_KAFKA_BOOTSTRAP", " "));
    assertEquals(9091, config.http().port());
    assertEquals("127.0.0.1", config.http().host());
    assertEquals(List.of(1000L, 60000L), config.webhook().backoffMs());
    assertEquals(7, config.rateLimit().perKeyBurst());
    assertEquals(3, config.pg().system().poolSize());
    assertEquals("cowrie_app", config.pg().app().user());
    assertFalse(config.kafka().enabled(), "a blank bootstrap means no Kafka");
    assertTrue(config.sandbox().enabled());
    assertEquals(15000L, config.bus().requestTimeoutMs());
  }

  @Test
  void aMistypedValueStopsTheStartNamingTheVariable() {
    IllegalStateException number = assertThrows(IllegalStateException.class,
        () -> CowrieConfig.load(Map.of("COWRIE_CHAT_MEMBERS_MAX", "lots")));
    assertTrue(number.getMessage().contains("COWRIE_CHAT_MEMBERS_MAX"), number.getMessage());
    IllegalStateException backoff = assertThrows(IllegalStateException.class,
        () -> CowrieConfig.load(Map.of("COWRIE_WEBHOOK_BACKOFF_MS", "5s,1m")));
    assertTrue(backoff.getMessage().contains("webhook.backoff_ms"), backoff.getMessage());
  }

  @Test
  void aChangedCopyReadsItsRecordsAgain() {
    CowrieConfig config = CowrieConfig.load(Map.of()).with("reconcile", "interval_ms", 0);
    assertEquals(0L, config.reconcile().intervalMs());
  }
}
