package dev.cowrie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cowrie.common.Secrets;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.store.Database;
import dev.cowrie.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A port taken between the start-up check and the bind still fails the deployment, with the port named. */
class StartFailuresTest {

  @Test
  void aPortTakenAtBindTimeFailsTheDeploymentNamingThePort() throws Exception {
    String schema = ("t_startfailures_" + Secrets.randomToken(4)).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "x");
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      CowrieConfig config = CowrieConfig.load(Map.of(
          "COWRIE_PG_URL", TestGateway.TEST_PG_URL, "COWRIE_PG_SCHEMA", schema,
          "COWRIE_HTTP_PORT", String.valueOf(taken.getLocalPort()),
          "COWRIE_REDIS_KEY_PREFIX", "test:" + schema + ":",
          "COWRIE_ADMIN_TOKEN", "adm_" + Secrets.randomToken(24),
          "COWRIE_MASTER_KEY", Base64.getEncoder().encodeToString(Secrets.randomBytes(32))));
      Database.migrate(config);
      Vertx vertx = Cowrie.vertx();
      try {
        ExecutionException failed = assertThrows(ExecutionException.class,
            () -> Cowrie.deploy(vertx, config).toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES));
        assertEquals("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use (http.port, COWRIE_HTTP_PORT)",
            StartFailures.deployment(failed.getCause(), config));
      } finally {
        TestGateway.await(vertx.close());
      }
    } finally {
      dropSchema(schema);
    }
  }

  private static void dropSchema(String schema) {
    Vertx vertx = Vertx.vertx();
    try {
      Pool admin = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(TestGateway.TEST_PG_URL)).using(vertx).build();
      TestGateway.await(admin.query("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE").execute());
      TestGateway.await(admin.close());
    } finally {
      TestGateway.await(vertx.close());
    }
  }
}
