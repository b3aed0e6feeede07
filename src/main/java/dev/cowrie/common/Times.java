package dev.cowrie.common;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** RFC 3339 UTC timestamps as the API writes them. */
public final class Times {
  private Times() {}

  public static String rfc3339(OffsetDateTime time) {
    return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS).toInstant().toString();
  }

  public static String rfc3339(LocalDateTime utc) {
    return utc == null ? null : utc.truncatedTo(ChronoUnit.MILLIS).toInstant(ZoneOffset.UTC).toString();
  }
}
