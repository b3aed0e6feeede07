package dev.cowrie;

import dev.cowrie.cli.AdminCli;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.store.Database;
import io.vertx.core.Vertx;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar cowrie.jar} runs the gateway; {@code java -jar cowrie.jar admin …} the operator CLI. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("admin")) {
      System.exit(AdminCli.run(Arrays.copyOfRange(args, 1, args.length)));
    }
    Logger log = LoggerFactory.getLogger(Main.class);
    CowrieConfig config;
    try {
      config = CowrieConfig.load();
      config.masterKey();
      Database.ensureExists(config);
      Database.migrate(config);
    } catch (RuntimeException e) {
      log.error("Cannot start: {}", e.getMessage());
      System.exit(2);
      return;
    }
    Cowrie.vertx(config)
        .onFailure(failure -> {
          log.error("Cowrie could not join its cluster: {} ({})", failure.getMessage(), failure.getClass().getSimpleName());
          System.exit(1);
        })
        .onSuccess(vertx -> run(vertx, config, log));
  }

  private static void run(Vertx vertx, CowrieConfig config, Logger log) {
    Cowrie.deploy(vertx, config)
        .onSuccess(ignored -> log.info("Cowrie listening on http://{}:{}", config.string("http", "host"), config.integer("http", "port")))
        .onFailure(failure -> {
          log.error("Cowrie failed to start: {} ({})", failure.getMessage(), failure.getClass().getSimpleName());
          log.debug("Start-up failure", failure);
          vertx.close().onComplete(closed -> System.exit(1));
        });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().toCompletionStage().toCompletableFuture().join()));
  }
}
