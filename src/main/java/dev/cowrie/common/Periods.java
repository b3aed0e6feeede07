package dev.cowrie.common;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * Billing-period arithmetic, shared by the platform's plans and merchants' own subscriptions.
 * Periods are counted from an anchor in UTC: period n is [anchor + n·step, anchor + (n+1)·step).
 * Each boundary is computed from the anchor, never from the previous boundary, so a month anchored
 * on the 31st ends on the 28th/29th/30th where the month is short and returns to the 31st after
 * (the same as PostgreSQL's {@code anchor + n * interval '1 month'}).
 */
public final class Periods {
  /** The unit of a period. */
  public enum Interval {
    DAY, WEEK, MONTH, YEAR;

    /** {@code day|week|month|year}; null for anything else. */
    public static Interval fromApi(String value) {
      if (value == null) {
        return null;
      }
      return switch (value) {
        case "day" -> DAY;
        case "week" -> WEEK;
        case "month" -> MONTH;
        case "year" -> YEAR;
        default -> null;
      };
    }

    public String api() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One period: [start, end). */
  public record Period(long index, Instant start, Instant end) {
    public boolean contains(Instant at) {
      return !at.isBefore(start) && at.isBefore(end);
    }
  }

  private final Instant anchor;
  private final Interval interval;
  private final int count;

  /** Periods of {@code count} × {@code interval} from {@code anchor}. */
  public Periods(Instant anchor, Interval interval, int count) {
    if (anchor == null || interval == null || count < 1) {
      throw new IllegalArgumentException("a period needs an anchor, an interval and a count >= 1");
    }
    this.anchor = anchor;
    this.interval = interval;
    this.count = count;
  }

  public static Periods monthly(Instant anchor) {
    return new Periods(anchor, Interval.MONTH, 1);
  }

  /** The start of period {@code index} (index 0 starts at the anchor). */
  public Instant boundary(long index) {
    ZonedDateTime start = anchor.atZone(ZoneOffset.UTC);
    long steps = Math.multiplyExact(index, count);
    ZonedDateTime at = switch (interval) {
      case DAY -> start.plusDays(steps);
      case WEEK -> start.plusWeeks(steps);
      case MONTH -> start.plusMonths(steps);
      case YEAR -> start.plusYears(steps);
    };
    return at.toInstant();
  }

  public Period period(long index) {
    return new Period(index, boundary(index), boundary(index + 1));
  }

  /** The period that contains {@code at}; before the anchor, period 0. */
  public Period containing(Instant at) {
    if (!at.isAfter(anchor)) {
      return period(0);
    }
    long index = estimate(at);
    while (index > 0 && boundary(index).isAfter(at)) {
      index--;
    }
    while (!boundary(index + 1).isAfter(at)) {
      index++;
    }
    return period(index);
  }

  /** The period that starts at {@code start}, which must be a boundary. */
  public Period startingAt(Instant start) {
    Period period = containing(start);
    if (!period.start().equals(start)) {
      throw new IllegalArgumentException(start + " is not a period boundary of " + this);
    }
    return period;
  }

  /** A close guess of the index, corrected by the caller's walk (calendar months differ in length). */
  private long estimate(Instant at) {
    double seconds = at.getEpochSecond() - anchor.getEpochSecond();
    double stepSeconds = switch (interval) {
      case DAY -> 86_400d;
      case WEEK -> 7 * 86_400d;
      case MONTH -> 30.436875 * 86_400d;
      case YEAR -> 365.2425 * 86_400d;
    };
    return Math.max(0, (long) (seconds / (stepSeconds * count)) - 1);
  }

  @Override
  public String toString() {
    return "every " + count + " " + interval.api() + " from " + anchor;
  }
}
