package dev.cowrie.recurring;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Billing periods of a price: period k runs from {@code anchor + k × interval} to
 * {@code anchor + (k+1) × interval}, always counted from the anchor so month ends do not drift
 * (an anchor of 31 January gives 28 February, then 31 March, not 28 March). UTC throughout.
 */
record Periods(String interval, int count) {
  static final java.util.List<String> INTERVALS = java.util.List.of("day", "week", "month", "year");

  Periods {
    if (!INTERVALS.contains(interval) || count < 1) {
      throw new IllegalArgumentException("no such period: " + count + " " + interval);
    }
  }

  /** The start of period {@code index} (period 0 starts at the anchor). */
  OffsetDateTime start(OffsetDateTime anchor, int index) {
    OffsetDateTime utc = anchor.withOffsetSameInstant(ZoneOffset.UTC);
    long steps = (long) index * count;
    return switch (interval) {
      case "day" -> utc.plusDays(steps);
      case "week" -> utc.plusWeeks(steps);
      case "month" -> utc.plusMonths(steps);
      case "year" -> utc.plusYears(steps);
      default -> throw new IllegalStateException(interval);
    };
  }

  OffsetDateTime end(OffsetDateTime anchor, int index) {
    return start(anchor, index + 1);
  }
}
