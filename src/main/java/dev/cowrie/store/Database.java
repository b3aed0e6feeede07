package dev.cowrie.store;

import dev.cowrie.config.CowrieConfig;
import dev.cowrie.config.PgConfig;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The PostgreSQL pools (app role and system role), database creation and the Flyway migrations. */
public final class Database {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private Database() {}

  /**
   * The request paths' pool: the app role ({@code pg.app_user}), which owns no table and cannot
   * bypass row-level security, so every merchant-owned row needs its transaction's tenant
   * ({@link Tenancy}). One shared pool per Vert.x instance and schema.
   */
  public static Pool pool(Vertx vertx, CowrieConfig config) {
    return build(vertx, config, Role.APP, config.pg().app().poolSize());
  }

  /**
   * The cross-tenant workers' pool (outbox relay, dispatcher, reconcilers, sweeps, CLI, lookups
   * that find the merchant): the system role ({@code pg.system_user}), which bypasses row-level
   * security. Use it only where no single tenant is known yet, and say why at the call.
   */
  public static Pool systemPool(Vertx vertx, CowrieConfig config) {
    return build(vertx, config, Role.SYSTEM, config.pg().system().poolSize());
  }

  /** The two roles V13 creates; their names and passwords come from {@code pg.*_user} / {@code pg.*_password}. */
  enum Role {
    APP("app"), SYSTEM("system");

    final String key;

    Role(String key) {
      this.key = key;
    }

    PgConfig.Role settings(CowrieConfig config) {
      return this == APP ? config.pg().app() : config.pg().system();
    }

    String user(CowrieConfig config) {
      String user = settings(config).user();
      if (!user.matches("[a-z_][a-z0-9_]{0,62}")) {
        throw new IllegalStateException("pg." + key + "_user must be a plain lower-case role name, got '" + user + "'");
      }
      return user;
    }
  }

  private static Pool build(Vertx vertx, CowrieConfig config, Role role, int size) {
    PgConnectOptions connect = PgConnectOptions.fromUri(config.pg().url())
        .setUser(role.user(config))
        .setPassword(role.settings(config).password());
    String schema = config.pg().schema();
    connect.addProperty("search_path", schema);
    connect.addProperty("application_name", "cowrie-" + role.key);
    connect.setCachePreparedStatements(true);
    connect.setPipeliningLimit(16);
    PoolOptions options = new PoolOptions()
        .setMaxSize(size)
        .setShared(true)
        .setName("cowrie-pg-" + role.key + "-" + schema);
    return PgBuilder.pool().with(options).connectingTo(connect).using(vertx).build();
  }

  /** Creates the database named in the URL if it does not exist yet (blocking: call from a worker or the CLI). */
  public static void ensureExists(CowrieConfig config) {
    Jdbc target = Jdbc.of(config.pg().url());
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

  /**
   * Runs the migrations in the configured schema (blocking), then gives the app and system roles
   * the passwords configured for them, if any (so a rotated password takes effect at the next start).
   */
  public static void migrate(CowrieConfig config) {
    Jdbc target = Jdbc.of(config.pg().url());
    runMigrations(config, target);
    for (Role role : Role.values()) {
      String password = role.settings(config).password();
      if (!password.isEmpty()) {
        setPassword(target, role.user(config), password);
      }
    }
  }

  /**
   * With autovacuum off nothing gathers statistics, and plans made while the tables were small stay:
   * measured here, a payment looked up by its id went through the customer-email index (203 buffers
   * instead of 3) and PostgreSQL's CPU per payment grew with the table. Said once, once the gateway is ready (blocking).
   */
  public static void warnWithoutAutovacuum(CowrieConfig config) {
    Jdbc target = Jdbc.of(config.pg().url());
    try (Connection owner = DriverManager.getConnection(target.url(), target.user(), target.password())) {
      var setting = owner.createStatement().executeQuery("SELECT current_setting('autovacuum')");
      if (setting.next() && "off".equals(setting.getString(1))) {
        log.warn("PostgreSQL's autovacuum is off: nothing gathers table statistics, so query plans degrade as tables"
            + " grow; turn it on, or run ANALYZE regularly");
      }
    } catch (SQLException e) {
      log.debug("could not read the autovacuum setting: {}", e.getMessage());
    }
  }

  private static void setPassword(Jdbc target, String role, String password) {
    try (Connection owner = DriverManager.getConnection(target.url(), target.user(), target.password())) {
      // ALTER ROLE takes no bind parameters: the role name is checked by Role.user, the password quoted.
      owner.createStatement().execute("ALTER ROLE " + role + " PASSWORD '" + password.replace("'", "''") + "'");
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot set the password of role " + role + ": " + e.getMessage(), e);
    }
  }

  private static void runMigrations(CowrieConfig config, Jdbc target) {
    Flyway.configure()
        .dataSource(target.url(), target.user(), target.password())
        .schemas(config.pg().schema())
        .locations("classpath:db/migration")
        .placeholders(Map.of("app_role", Role.APP.user(config), "system_role", Role.SYSTEM.user(config)))
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
