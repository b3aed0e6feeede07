package dev.cowrie.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.cowrie.config.ClusterConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;

/**
 * Joins this node to the other gateway nodes (DESIGN: "one event bus across nodes"): Hazelcast,
 * joining only the listed TCP/IP members, so nothing is discovered by multicast. Hazelcast keeps
 * the member list and who listens where; the event bus itself runs over Vert.x's own TCP links.
 */
public final class Clustering {
  /** Hazelcast keeps its maps in partitions; 271 by default is more than a few nodes need and slows start. */
  private static final String PARTITIONS = "31";

  private Clustering() {}

  /** A clustered Vert.x when cluster.enabled, else the one-node Vert.x {@code builder} makes. */
  public static Future<Vertx> start(VertxBuilder builder, VertxOptions options, ClusterConfig settings) {
    if (!settings.enabled()) {
      return Future.succeededFuture(builder.with(options).build());
    }
    if (settings.members().isEmpty()) {
      return Future.failedFuture(new IllegalStateException("cluster.enabled needs cluster.members (host:port,…)"));
    }
    // Port 0: the event bus listens where it can and tells the others through Hazelcast.
    options.setEventBusOptions(new EventBusOptions().setHost(settings.host()).setPort(0));
    return builder.with(options).withClusterManager(new HazelcastClusterManager(hazelcast(settings))).buildClustered();
  }

  static Config hazelcast(ClusterConfig settings) {
    Config config = ConfigUtil.loadConfig(); // keeps the maps Vert.x needs (subscriptions, node info)
    config.setClusterName("cowrie");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.partition.count", PARTITIONS);
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.shutdownhook.enabled", "false"); // Vert.x leaves the cluster on close
    NetworkConfig network = config.getNetworkConfig().setPort(settings.port()).setPortAutoIncrement(false)
        .setPublicAddress(settings.host() + ":" + settings.port());
    if (isIpLiteral(settings.host())) { // listen on that address only (loopback in development)
      config.setProperty("hazelcast.socket.bind.any", "false");
      network.getInterfaces().setEnabled(true).addInterface(settings.host());
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(1).setMembers(settings.members());
    return config;
  }

  private static boolean isIpLiteral(String host) {
    return host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }

  /** How many nodes this node sees in its cluster, itself included; 0 when it is not clustered. */
  public static int members(Vertx vertx) {
    ClusterManager manager = vertx instanceof VertxInternal internal ? internal.clusterManager() : null;
    return manager == null || !manager.isActive() ? 0 : manager.getNodes().size();
  }
}
