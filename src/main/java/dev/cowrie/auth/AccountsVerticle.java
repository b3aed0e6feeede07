package dev.cowrie.auth;

import dev.cowrie.common.Bus;
import dev.cowrie.common.SecretBox;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.security.AuthAddresses;
import dev.cowrie.security.Principal;
import dev.cowrie.security.Role;
import dev.cowrie.store.Database;
import dev.cowrie.store.RedisStore;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.List;

/**
 * A merchant's people and business ({@code cowrie.auth.team_*, totp_*, profile_*, kyc_*}): the team
 * and its roles, each person's two-factor and sessions, the business profile with its KYC review,
 * and the merchant's own audit trail.
 */
public final class AccountsVerticle extends VerticleBase {
  private final CowrieConfig config;
  private final Clock clock;
  private Pool pool;
  private Pool system;
  private RedisStore redis;

  public AccountsVerticle(CowrieConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, config);
    system = Database.systemPool(vertx, config); // sessions are found by user, and the operator reviews across merchants
    redis = RedisStore.create(vertx, config);
    RevokedSessions revoked = new RevokedSessions(vertx, redis, config.auth().accessTokenTtlSeconds());
    RefreshTokens sessions = new RefreshTokens(system, config.auth().refreshTokenTtlSeconds(), revoked);
    Team team = new Team(pool, new Passwords(vertx, config.auth().bcryptCost()), sessions, clock);
    TwoFactor twoFactor = new TwoFactor(pool, new SecretBox(config.masterKey()), new Totp(clock));
    return Future.all(List.of(
        serve(AuthAddresses.TEAM_LIST, cmd -> team.list(merchant(cmd), cmd.getInteger("limit"), cmd.getString("starting_after"))),
        serve(AuthAddresses.TEAM_ADD, cmd -> team.add(merchant(cmd), cmd.getString("username"), Role.fromWire(cmd.getString("role")),
            cmd.getString("password"))),
        serve(AuthAddresses.TEAM_CHANGE, cmd -> team.changeRole(merchant(cmd), cmd.getString("id"), Role.fromWire(cmd.getString("role")))),
        serve(AuthAddresses.TEAM_REMOVE, cmd -> team.remove(merchant(cmd), cmd.getString("id"))),
        serve(AuthAddresses.TOTP_SET_UP, cmd -> twoFactor.setUp(principal(cmd))),
        serve(AuthAddresses.TOTP_ENABLE, cmd -> twoFactor.enable(principal(cmd), cmd.getString("code"))),
        serve(AuthAddresses.TOTP_DISABLE, cmd -> twoFactor.disable(principal(cmd), cmd.getString("code"))),
        serve(AuthAddresses.SIGN_OUT_EVERYWHERE, cmd -> sessions.revokeAllOf(principal(cmd).merchantId(), principal(cmd).userId())
            .map(new JsonObject().put("signed_out", true))),
        serve(AuthAddresses.PROFILE_GET, cmd -> tenant(cmd, sql -> Profiles.get(sql, merchant(cmd)))),
        serve(AuthAddresses.PROFILE_UPDATE, cmd -> tenant(cmd, sql -> Profiles.update(sql, merchant(cmd), cmd.getJsonObject("fields")))),
        serve(AuthAddresses.PROFILE_SUBMIT, cmd -> tenant(cmd, sql -> Profiles.submit(sql, merchant(cmd)))),
        serve(AuthAddresses.DOCUMENT_ADD, cmd -> tenant(cmd, sql -> Profiles.addDocument(sql, merchant(cmd), cmd.getString("kind"),
            cmd.getString("filename"), cmd.getString("content_type"), cmd.getBinary("content")))),
        serve(AuthAddresses.DOCUMENT_GET, cmd -> tenant(cmd, sql -> Profiles.document(sql, merchant(cmd), cmd.getString("id")))),
        serve(AuthAddresses.KYC_STATUS, cmd -> tenant(cmd, sql -> Profiles.verified(sql, cmd.getString("merchant_id")))
            .map(verified -> new JsonObject().put("verified", verified))),
        serve(AuthAddresses.KYC_REVIEW, cmd -> Profiles.review(system, cmd.getString("merchant_id"), cmd.getBoolean("approve"),
            cmd.getString("reason"))),
        serve(AuthAddresses.KYC_LIST, cmd -> Profiles.list(system, cmd.getString("status"), cmd.getInteger("limit", 100))
            .map(list -> new JsonObject().put("object", "list").put("data", list).put("has_more", false))),
        serve(AuthAddresses.MERCHANT_AUDIT, cmd -> tenant(cmd, sql -> AuditQueries.list(sql, principal(cmd),
            AuditQueries.Filter.fromJson(cmd.getJsonObject("filter")))))));
  }

  private Future<Void> serve(String address, java.util.function.Function<JsonObject, Future<?>> handler) {
    return Bus.serve(vertx, address, handler).completion();
  }

  @Override
  public Future<?> stop() {
    redis.client().close();
    return Future.succeededFuture();
  }

  private static Principal principal(JsonObject cmd) {
    return Principal.fromJson(cmd.getJsonObject("principal"));
  }

  /** The merchant a command acts for: the caller's own, or the one the operator names. */
  private static String merchant(JsonObject cmd) {
    JsonObject principal = cmd.getJsonObject("principal");
    return principal == null || Principal.fromJson(principal).isAdmin() ? cmd.getString("merchant_id")
        : Principal.fromJson(principal).merchantId();
  }

  private <T> Future<T> tenant(JsonObject cmd, java.util.function.Function<io.vertx.sqlclient.SqlConnection, Future<T>> work) {
    String merchantId = cmd.getJsonObject("principal") == null ? cmd.getString("merchant_id") : merchant(cmd);
    return Tenancy.transaction(pool, merchantId, work);
  }
}
