package dev.cowrie.store;

import dev.cowrie.config.CowrieConfig;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;

/** The PostgreSQL pool every verticle shares, database creation and the Flyway migrations. */
public final class Database {
  private Database() {}

  /** One shared pool per Vert.x instance and schema; each verticle gets a handle on it. */
  public static Pool pool(Vertx vertx, CowrieConfig config) {
    PgConnectOptions connect = PgConnectOptions.fromUri(config.string("pg", "url"));
    String schema = config.string("pg", "schema");
    connect.addProperty("search_path", schema);
    connect.addProperty("application_name", "cowrie");
    connect.setCachePreparedStatements(true);
    connect.setPipeliningLimit(16);
    PoolOptions options = new PoolOptions()
        .setMaxSize(config.integer("pg", "pool_size"))
        .setShared(true)
        .setName("cowrie-pg-" + schema);
    return PgBuilder.pool().with(options).connectingTo(connect).using(vertx).build();
  }

  /** Creates the database named in the URL if it does not exist yet (blocking: call from a worker or the CLI). */
  public static void ensureExists(CowrieConfig config) {
    Jdbc target = Jdbc.of(config.string("pg", "url"));
    try (Connection admin = DriverManager.getConnection(target.withDatabase("postgres"), target.user(), target.password())) {
      var exists = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?");
      exists.setString(1, target.database());
      if (!exists.executeQuery().next()) {
        admin.createStatement().execute("CREATE DATABASE \"" + target.database().replace("\"", "") + "\"");
      }
    } catch (SQLException e) {
      if (!"42P04".equals(e.getSQLState())) { // created concurrently by another process
        throw new IllegalStateException("Cannot create database " + target.database() + ": " + e.getMessage(), e);
      }
    }
  }

  /** Runs the migrations in the configured schema (blocking). */
  public static void migrate(CowrieConfig config) {
    Jdbc target = Jdbc.of(config.string("pg", "url"));
    Flyway.configure()
        .dataSource(target.url(), target.user(), target.password())
        .schemas(config.string("pg", "schema"))
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }

  /** A {@code postgresql://user:pass@host:port/db} URL in JDBC's terms. */
  record Jdbc(String host, int port, String database, String user, String password) {
    static Jdbc of(String url) {
      URI uri = URI.create(url);
      String userInfo = uri.getUserInfo() == null ? "postgres" : uri.getUserInfo();
      String user = userInfo.contains(":") ? userInfo.substring(0, userInfo.indexOf(':')) : userInfo;
      String password = userInfo.contains(":") ? userInfo.substring(userInfo.indexOf(':') + 1) : "";
      String database = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
      return new Jdbc(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), database, user, password);
    }

    String url() {
      return withDatabase(database);
    }

    String withDatabase(String name) {
      return "jdbc:postgresql://" + host + ":" + port + "/" + name;
    }
  }
}
