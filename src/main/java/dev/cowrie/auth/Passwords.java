package dev.cowrie.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.cowrie.common.CowrieError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.charset.StandardCharsets;

/**
 * bcrypt hashing, always on a worker thread of its own bounded pool: a hash takes far too long for
 * the event loop, and logins must keep answering whatever else (Kafka, DNS) holds other workers.
 */
public final class Passwords {
  public static final int LENGTH_MIN = 8;
  public static final int LENGTH_MAX = 72; // bcrypt reads at most 72 bytes
  // Compared against when the user does not exist, so a missing user costs the same time.
  private static final String DUMMY_HASH = BCrypt.withDefaults().hashToString(4, "not-a-password".toCharArray());

  private static final int HASHING_THREADS = 4;

  private final WorkerExecutor hashing;
  private final int cost;

  public Passwords(Vertx vertx, int cost) {
    this.hashing = vertx.createSharedWorkerExecutor("cowrie-bcrypt", HASHING_THREADS);
    this.cost = cost;
  }

  public static void validate(String password) {
    int bytes = password.getBytes(StandardCharsets.UTF_8).length;
    if (password.length() < LENGTH_MIN || bytes > LENGTH_MAX) {
      throw CowrieError.invalid("password", "password must be " + LENGTH_MIN + " to " + LENGTH_MAX + " bytes long.");
    }
  }

  public Future<String> hash(String password) {
    return hashing.executeBlocking(() -> BCrypt.withDefaults().hashToString(cost, password.toCharArray()), false);
  }

  public Future<Boolean> matches(String password, String hashOrNull) {
    String hash = hashOrNull == null ? DUMMY_HASH : hashOrNull;
    return hashing.executeBlocking(() -> BCrypt.verifyer().verify(password.toCharArray(), hash).verified && hashOrNull != null, false);
  }
}
