package dev.cowrie.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request budget is derived, so no caller gives up while the work it asked for may still run. */
class TimeoutsTest {

  @Test
  void aCreationOutlastsEveryConnectionRoutingMayTry() {
    Timeouts timeouts = Timeouts.of(CowrieConfig.load(Map.of("COWRIE_PROVIDER_TIMEOUT_MS", "7000",
        "COWRIE_PROVIDER_ROUTES_TRIED_MAX", "4", "COWRIE_BUS_REQUEST_TIMEOUT_MS", "3000")));
    assertEquals(3_000 + 4 * 7_000, timeouts.creationMs());
    assertEquals(3_000 + 7_000, timeouts.withProviderCallMs());
    assertTrue(timeouts.around(timeouts.creationMs()) > timeouts.creationMs(), "a top-up outlasts the creation it waits on");
    assertTrue(timeouts.callbackMs() > timeouts.withProviderCallMs(), "a callback outlasts the verify it may ask for");
  }

  @Test
  void theDefaultsAreCoherent() {
    Timeouts timeouts = Timeouts.of(CowrieConfig.load(Map.of()));
    assertTrue(timeouts.creationMs() >= timeouts.commandMs() + timeouts.routesTriedMax() * timeouts.providerCallMs());
    assertTrue(timeouts.withProviderCallMs() > timeouts.providerCallMs());
  }
}
