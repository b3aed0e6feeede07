package dev.cowrie.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Pages show people a date and a time in UTC, not an API timestamp. */
class TimesTest {
  @Test
  void readableTimesAreInUtcToTheMinute() {
    assertEquals("1 Dec 2026, 06:41 UTC", Times.readable("2026-12-01T06:41:13.186Z"));
    assertEquals("8 Dec 2026, 06:35 UTC", Times.readable("2026-12-08T06:35:00Z"));
    assertEquals("30 Nov 2026, 23:30 UTC", Times.readable("2026-12-01T00:30:00+01:00"));
    assertEquals("", Times.readable(null));
    assertEquals("", Times.readable(" "));
    assertEquals("soon", Times.readable("soon"));
  }
}
