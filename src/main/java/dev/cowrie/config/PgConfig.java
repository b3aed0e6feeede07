package dev.cowrie.config;

import io.vertx.core.json.JsonObject;

/**
 * PostgreSQL: the owner's URL (it migrates), the schema, and the two roles requests and workers
 * connect as (row-level security: the app role is walled per tenant, the system role bypasses).
 * Section {@code pg} of conf/cowrie.yaml; passwords come only from the environment.
 */
public record PgConfig(String url, String schema, int poolSize, Role app, Role system) {

  /** A role the gateway connects as, and how many connections its pool holds. */
  public record Role(String user, String password, int poolSize) {}

  static PgConfig from(JsonObject section) {
    int poolSize = CowrieConfig.integer(section, "pool_size");
    return new PgConfig(CowrieConfig.text(section, "url"), CowrieConfig.text(section, "schema"), poolSize,
        new Role(CowrieConfig.text(section, "app_user"), CowrieConfig.text(section, "app_password"), poolSize),
        new Role(CowrieConfig.text(section, "system_user"), CowrieConfig.text(section, "system_password"),
            CowrieConfig.integer(section, "system_pool_size")));
  }
}
