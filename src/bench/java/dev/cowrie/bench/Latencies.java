package dev.cowrie.bench;

import java.util.Arrays;

/** Latencies of one benchmark phase, in microseconds; bounded so a long run cannot exhaust memory. */
final class Latencies {
  private static final int SAMPLES_MAX = 2_000_000;
  private final long[] samples = new long[SAMPLES_MAX];
  private int count;
  private int errors;

  synchronized void record(long micros, boolean ok) {
    if (!ok) {
      errors++;
    }
    if (count < SAMPLES_MAX) {
      samples[count++] = micros;
    }
  }

  synchronized int count() {
    return count;
  }

  synchronized int errors() {
    return errors;
  }

  synchronized double percentileMs(double percentile) {
    if (count == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(samples, count);
    Arrays.sort(sorted);
    int index = (int) Math.min(count - 1, Math.ceil(percentile / 100.0 * count) - 1);
    return sorted[Math.max(0, index)] / 1000.0;
  }
}
