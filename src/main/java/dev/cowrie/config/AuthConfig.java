package dev.cowrie.config;

import io.vertx.core.json.JsonObject;

/**
 * Tokens, passwords, connection tickets, sign-in lockout and KYC document size.
 * Section {@code auth} of conf/cowrie.yaml.
 */
public record AuthConfig(int accessTokenTtlSeconds, int refreshTokenTtlSeconds, String jwtSecret, int bcryptCost,
    int ticketTtlSeconds, int loginFailuresMax, int lockoutSeconds, int documentBytesMax) {

  static AuthConfig from(JsonObject section) {
    return new AuthConfig(
        CowrieConfig.integer(section, "access_token_ttl_seconds"),
        CowrieConfig.integer(section, "refresh_token_ttl_seconds"),
        CowrieConfig.text(section, "jwt_secret"),
        CowrieConfig.integer(section, "bcrypt_cost"),
        CowrieConfig.integer(section, "ticket_ttl_seconds"),
        CowrieConfig.integer(section, "login_failures_max"),
        CowrieConfig.integer(section, "lockout_seconds"),
        CowrieConfig.integer(section, "document_bytes_max"));
  }
}
