package dev.cowrie.http;

import dev.cowrie.store.RedisStore;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.List;

/**
 * What Cowrie hands each HttpVerticle instance: the features' routes and the access-token check,
 * built on that instance's resources, so the HTTP edge knows no feature by name.
 */
public interface FeatureRoutes {
  /** The resources of one HttpVerticle instance that features' routes may need. */
  record Edge(Vertx vertx, Pool systemPool, RedisStore redis) {}

  /** The token check and the routes of every feature, for one HttpVerticle instance. */
  record Assembled(AccessTokens tokens, List<Routes> routes) {}

  Assembled assemble(Edge edge);
}
