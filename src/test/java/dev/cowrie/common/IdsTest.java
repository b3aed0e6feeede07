package dev.cowrie.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void idsAreUniqueAndStrictlyIncreasingEvenWithinOneMillisecond() {
    Set<String> seen = new HashSet<>();
    String previous = Ids.next("pay");
    for (int i = 0; i < 100_000; i++) {
      String id = Ids.next("pay");
      assertTrue(id.compareTo(previous) > 0, previous + " then " + id);
      assertTrue(seen.add(id));
      assertTrue(Ids.looksLike("pay", id), id);
      previous = id;
    }
    assertEquals("evt_".length() + 26, Ids.next("evt").length());
  }
}
