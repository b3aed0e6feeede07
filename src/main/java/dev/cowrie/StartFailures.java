package dev.cowrie;

import dev.cowrie.config.CowrieConfig;
import java.net.BindException;
import java.net.URI;
import java.sql.SQLException;

/** Turns why a start failed into the one line an operator needs: which port, which dependency, which setting. */
final class StartFailures {
  private StartFailures() {}

  /** The HTTP port is taken (checked before anything else is touched, and again when the server binds). */
  static String portInUse(CowrieConfig config) {
    return "port " + config.http().port() + " on " + config.http().host()
        + " is already in use (http.port, COWRIE_HTTP_PORT)";
  }

  /** A failure while creating or migrating the database. */
  static String database(RuntimeException failure, CowrieConfig config) {
    String where = "PostgreSQL at " + pgAddress(config);
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && sql.getSQLState() != null) {
        if (sql.getSQLState().startsWith("08")) {
          return where + " refused the connection (pg.url, COWRIE_PG_URL)";
        }
        if (sql.getSQLState().startsWith("28")) {
          return where + " refused the login: " + firstLine(sql.getMessage()) + " (pg.url, COWRIE_PG_URL)";
        }
      }
    }
    return where + ": " + firstLine(failure.getMessage());
  }

  /** A failure while deploying the verticles. */
  static String deployment(Throwable failure, CowrieConfig config) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof BindException || String.valueOf(cause.getMessage()).contains("Address already in use")) {
        return portInUse(config);
      }
    }
    return firstLine(failure.getMessage()) + " (" + failure.getClass().getSimpleName() + ")";
  }

  private static String pgAddress(CowrieConfig config) {
    URI url = URI.create(config.pg().url());
    return url.getHost() + ":" + (url.getPort() < 0 ? 5432 : url.getPort());
  }

  private static String firstLine(String message) {
    String text = String.valueOf(message);
    int cut = text.indexOf('\n');
    return cut < 0 ? text : text.substring(0, cut);
  }
}
