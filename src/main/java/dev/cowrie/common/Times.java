package dev.cowrie.common;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** RFC 3339 UTC timestamps as the API writes them. */
public final class Times {
  private static final DateTimeFormatter READABLE = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH);

  private Times() {}

  /**
   * An API timestamp as pages show it to people ("1 Dec 2026, 06:41 UTC"); the page keeps the exact
   * instant in its {@code <time datetime>}. Blank stays blank; text that is no timestamp is shown as is.
   */
  public static String readable(String rfc3339) {
    if (rfc3339 == null || rfc3339.isBlank()) {
      return "";
    }
    try {
      return READABLE.format(OffsetDateTime.parse(rfc3339).withOffsetSameInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException notATimestamp) {
      return rfc3339;
    }
  }

  public static String rfc3339(OffsetDateTime time) {
    return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS).toInstant().toString();
  }

  public static String rfc3339(LocalDateTime utc) {
    return utc == null ? null : utc.truncatedTo(ChronoUnit.MILLIS).toInstant(ZoneOffset.UTC).toString();
  }
}
