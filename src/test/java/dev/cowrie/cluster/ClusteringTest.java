package dev.cowrie.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import dev.cowrie.config.ClusterConfig;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cluster settings as an operator writes them, and the Hazelcast join they turn into. */
class ClusteringTest {
  @Test
  void environmentNamesTheMembersAndTheJoinIsTcpOnly() {
    CowrieConfig config = CowrieConfig.load(Map.of("COWRIE_CLUSTER_ENABLED", "true", "COWRIE_CLUSTER_PORT", "5801",
        "COWRIE_CLUSTER_MEMBERS", " 10.0.0.1:5801, 10.0.0.2:5801 ,", "COWRIE_CLUSTER_HOST", "10.0.0.1"));
    ClusterConfig settings = config.cluster();
    assertEquals(new ClusterConfig(true, "10.0.0.1", 5801, List.of("10.0.0.1:5801", "10.0.0.2:5801")), settings);

    Config hazelcast = Clustering.hazelcast(settings);
    JoinConfig join = hazelcast.getNetworkConfig().getJoin();
    assertFalse(join.getMulticastConfig().isEnabled(), "no multicast discovery");
    assertFalse(join.getAutoDetectionConfig().isEnabled(), "no automatic discovery");
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("10.0.0.1:5801", "10.0.0.2:5801"), join.getTcpIpConfig().getMembers());
    assertEquals(5801, hazelcast.getNetworkConfig().getPort());
    assertEquals(List.of("10.0.0.1"), List.copyOf(hazelcast.getNetworkConfig().getInterfaces().getInterfaces()));
    assertEquals("false", hazelcast.getProperty("hazelcast.phone.home.enabled"));
    assertTrue(hazelcast.getMultiMapConfigs().containsKey("__vertx.subs"), "keeps the maps Vert.x needs");
  }

  @Test
  void oneNodeIsTheDefaultAndSeesNoCluster() {
    ClusterConfig settings = CowrieConfig.load(Map.of()).cluster();
    assertFalse(settings.enabled());
    Vertx vertx = TestGateway.await(Clustering.start(Vertx.builder(), new VertxOptions(), settings));
    try {
      assertFalse(vertx.isClustered());
      assertEquals(0, Clustering.members(vertx));
    } finally {
      TestGateway.await(vertx.close());
    }
  }

  @Test
  void enabledWithoutMembersRefusesToStart() {
    ClusterConfig settings = new ClusterConfig(true, "127.0.0.1", 5701, List.of());
    Throwable refused = Clustering.start(Vertx.builder(), new VertxOptions(), settings).cause();
    assertTrue(refused.getMessage().contains("cluster.members"), refused.getMessage());
  }
}
