package dev.cowrie.common;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import java.util.Set;

/**
 * Tells a dependency outage (PostgreSQL or Redis unreachable, a connection cut, the server shutting
 * down) from a bug: an outage is the client's cue to retry later (503 with Retry-After), a bug is a 500.
 */
public final class Outage {
  /** Seconds a client should wait before retrying after an outage answer. */
  public static final int RETRY_AFTER_SECONDS = 2;

  /** SQLSTATEs PostgreSQL gives when it cannot serve at all: refused or cut connections, shutdown, no slots, login refused. */
  private static final Set<String> POSTGRES_UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "57P04", "53300", "28000", "28P01");

  private Outage() {}

  /** The unavailable dependency's name when {@code failure} (or one of its causes) is an outage. */
  public static Optional<String> dependency(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof ClosedConnectionException) {
        return Optional.of("PostgreSQL");
      }
      if (cause instanceof PgException pg && pg.getSqlState() != null
          && (pg.getSqlState().startsWith("08") || POSTGRES_UNAVAILABLE_STATES.contains(pg.getSqlState()))) {
        return Optional.of("PostgreSQL");
      }
      // Redis and the pools wrap the socket's refusal or reset (a backend killed mid-query); the cause chain reaches it.
      if (cause instanceof SocketException || cause instanceof ClosedChannelException) { // refused, unreachable, reset
        return Optional.of("A backing service");
      }
    }
    return Optional.empty();
  }

  /** The 503 a client sees for an outage of {@code dependency}. */
  public static CowrieError error(String dependency) {
    return new CowrieError(ErrorCode.SERVICE_UNAVAILABLE,
        dependency + " is unavailable right now; retry in a few seconds (reusing the same Idempotency-Key is safe).");
  }
}
