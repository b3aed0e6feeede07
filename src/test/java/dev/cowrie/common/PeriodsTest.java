package dev.cowrie.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Period boundaries from an anchor: month ends clamp and come back, any instant finds its period. */
class PeriodsTest {
  @Test
  void monthsAnchoredOnThe31stClampAndReturn() {
    Periods periods = Periods.monthly(Instant.parse("2026-01-31T10:00:00Z"));
    assertEquals(Instant.parse("2026-02-28T10:00:00Z"), periods.boundary(1));
    assertEquals(Instant.parse("2026-03-31T10:00:00Z"), periods.boundary(2));
    assertEquals(Instant.parse("2026-04-30T10:00:00Z"), periods.boundary(3));
    assertEquals(Instant.parse("2027-01-31T10:00:00Z"), periods.boundary(12));
  }

  @Test
  void everyInstantIsInExactlyOnePeriod() {
    Periods periods = Periods.monthly(Instant.parse("2026-01-31T10:00:00Z"));
    Periods.Period march = periods.containing(Instant.parse("2026-03-15T00:00:00Z"));
    assertEquals(1, march.index(), "period 0 is Jan 31 – Feb 28, period 1 Feb 28 – Mar 31");
    assertEquals(Instant.parse("2026-02-28T10:00:00Z"), march.start());
    assertEquals(Instant.parse("2026-03-31T10:00:00Z"), march.end());
    assertEquals(2, periods.containing(march.end()).index(), "a period's end is the next one's start");
    assertEquals(1, periods.containing(march.end().minusNanos(1)).index());
    for (long day = 0; day < 800; day++) {
      Instant at = Instant.parse("2026-01-31T10:00:00Z").plusSeconds(day * 86_400 + 3_600);
      Periods.Period period = periods.containing(at);
      assertEquals(true, period.contains(at), at + " in " + period);
    }
  }

  @Test
  void otherIntervalsAndCounts() {
    Instant anchor = Instant.parse("2024-02-29T00:00:00Z");
    assertEquals(Instant.parse("2024-03-14T00:00:00Z"), new Periods(anchor, Periods.Interval.WEEK, 2).boundary(1));
    assertEquals(Instant.parse("2025-02-28T00:00:00Z"), new Periods(anchor, Periods.Interval.YEAR, 1).boundary(1));
    assertEquals(Instant.parse("2028-02-29T00:00:00Z"), new Periods(anchor, Periods.Interval.YEAR, 1).boundary(4));
    assertEquals(Instant.parse("2024-03-10T00:00:00Z"), new Periods(anchor, Periods.Interval.DAY, 10).boundary(1));
    assertEquals(Instant.parse("2024-05-29T00:00:00Z"), new Periods(anchor, Periods.Interval.MONTH, 3).boundary(1));
    assertEquals(Periods.Interval.MONTH, Periods.Interval.fromApi("month"));
    assertEquals(null, Periods.Interval.fromApi("fortnight"));
  }
}
