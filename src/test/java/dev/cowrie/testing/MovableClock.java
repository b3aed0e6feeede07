package dev.cowrie.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** The system clock plus an offset a test moves forward, so tests move time instead of waiting for it. */
public final class MovableClock extends Clock {
  private final AtomicLong offsetMs = new AtomicLong();

  public void advance(Duration by) {
    offsetMs.addAndGet(by.toMillis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a test clock stays in UTC");
  }

  @Override
  public Instant instant() {
    return Instant.now().plusMillis(offsetMs.get());
  }
}
