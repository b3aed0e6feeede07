package dev.cowrie.auth;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.security.AuthAddresses;
import dev.cowrie.security.Principal;
import dev.cowrie.store.Database;
import dev.cowrie.store.RedisStore;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;

/** Owns merchants, API keys, users, refresh tokens and the audit log ({@code cowrie.auth.*}). */
public final class AuthVerticle extends VerticleBase {
  private final CowrieConfig config;
  private SignIn signIn;
  private Pool pool;
  private Pool system;
  private Passwords passwords;
  private Tokens tokens;
  private RefreshTokens refreshTokens;
  private RedisStore redis;
  private AuditWriter auditWriter;

  private final Clock clock;

  public AuthVerticle(CowrieConfig config) {
    this(config, Clock.systemUTC());
  }

  /** {@code clock}: the instant at which a key's plan (its limits, live mode) is looked up, and which TOTP codes are current. */
  public AuthVerticle(CowrieConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, config);
    // Key and token lookups find the merchant (before it is known), and operators act across merchants.
    system = Database.systemPool(vertx, config);
    auditWriter = new AuditWriter(pool, system);
    passwords = new Passwords(vertx, config.auth().bcryptCost());
    redis = RedisStore.create(vertx, config);
    RevokedSessions revokedSessions = new RevokedSessions(vertx, redis, config.auth().accessTokenTtlSeconds());
    tokens = new Tokens(vertx, config, revokedSessions);
    refreshTokens = new RefreshTokens(system, config.auth().refreshTokenTtlSeconds(), revokedSessions);
    signIn = new SignIn(system, passwords, new dev.cowrie.common.SecretBox(config.masterKey()), new Totp(clock),
        new SignIn.Policy(config.auth().loginFailuresMax(), config.auth().lockoutSeconds()));
    Pins pins = new Pins(vertx, pool, passwords, redis, entry -> audit(entry));
    return Future.all(java.util.List.of(
        pins.listenForChanges(),
        Bus.serve(vertx, AuthAddresses.AUTHENTICATE_KEY, cmd -> ApiKeys.authenticate(system, cmd.getString("key"), clock.instant())).completion(),
        Bus.serve(vertx, AuthAddresses.AUDIT, this::audit).completion(),
        Bus.serve(vertx, AuthAddresses.CREATE_MERCHANT, cmd -> Merchants.create(system, cmd.getString("name"), cmd.getString("email"), clock.instant())).completion(),
        Bus.serve(vertx, AuthAddresses.GET_MERCHANT, cmd -> Merchants.get(system, cmd.getString("merchant_id"))).completion(),
        Bus.serve(vertx, AuthAddresses.LIST_MERCHANTS, cmd -> Merchants.list(system, cmd.getInteger("limit", 100))
            .map(list -> new JsonObject().put("object", "list").put("data", list).put("has_more", false))).completion(),
        Bus.serve(vertx, AuthAddresses.LIST_KEYS, cmd -> Tenancy.transaction(pool, merchant(cmd),
            sql -> ApiKeys.list(sql, merchant(cmd), mode(cmd)))
            .map(keys -> new JsonObject().put("object", "list").put("data", keys).put("has_more", false))).completion(),
        Bus.serve(vertx, AuthAddresses.CREATE_KEY, this::createKey).completion(),
        Bus.serve(vertx, AuthAddresses.REVOKE_KEY, cmd -> changed(Tenancy.transaction(pool, merchant(cmd),
            sql -> ApiKeys.revoke(sql, merchant(cmd), mode(cmd), cmd.getString("id"))))).completion(),
        Bus.serve(vertx, AuthAddresses.ROLL_KEY, cmd -> changed(Tenancy.transaction(pool, merchant(cmd), tx ->
            ApiKeys.roll(tx, merchant(cmd), mode(cmd), cmd.getString("id"), cmd.getInteger("expires_in_seconds", 0))))).completion(),
        Bus.serve(vertx, AuthAddresses.CREATE_USER, this::createUser).completion(),
        Bus.serve(vertx, AuthAddresses.FIND_USER, cmd -> Users.find(pool, cmd.getString("merchant_id"), cmd.getString("mode"),
            cmd.getString("username"), cmd.getString("user_id"))).completion(),
        Bus.serve(vertx, AuthAddresses.ISSUE_TOKEN, this::issueToken).completion(),
        Bus.serve(vertx, AuthAddresses.REFRESH_TOKEN, cmd -> refreshTokens.rotate(cmd.getString("refresh_token"))
            .map(this::tokenReply)).completion(),
        Bus.serve(vertx, AuthAddresses.LOGOUT, cmd -> refreshTokens.revokeFamilyOf(cmd.getString("refresh_token"))
            .map(new JsonObject().put("revoked", true))).completion(),
        Bus.serve(vertx, AuthAddresses.LIST_AUDIT, this::listAudit).completion(),
        Bus.serve(vertx, AuthAddresses.GET_PROFILE, cmd -> pins.profile(Principal.fromJson(cmd.getJsonObject("principal")))).completion(),
        Bus.serve(vertx, AuthAddresses.UPDATE_PROFILE, cmd -> pins.update(Principal.fromJson(cmd.getJsonObject("principal")),
            new Pins.Change(cmd.getString("pin"), cmd.getString("current_pin"), cmd.getLong("pin_limit")))).completion(),
        Bus.serve(vertx, AuthAddresses.CHECK_PIN, cmd -> pins.check(Principal.fromJson(cmd.getJsonObject("principal")),
            cmd.getLong("amount"), cmd.getString("pin"))).completion()));
  }

  @Override
  public Future<?> stop() {
    redis.client().close();
    return Future.succeededFuture();
  }

  /** The merchant a command acts for: the caller's own, or any for the operator. */
  private static String merchant(JsonObject cmd) {
    Principal principal = Principal.fromJson(cmd.getJsonObject("principal"));
    return principal.isAdmin() ? cmd.getString("merchant_id") : principal.merchantId();
  }

  /** The mode a command may touch: the caller's own (mode is a wall), or the one the operator names (null: any). */
  private static String mode(JsonObject cmd) {
    Principal principal = Principal.fromJson(cmd.getJsonObject("principal"));
    return principal.isAdmin() ? cmd.getString("mode") : principal.mode();
  }

  private Future<JsonObject> changed(Future<JsonObject> change) {
    return change.onSuccess(done -> vertx.eventBus().publish(AuthAddresses.KEYS_CHANGED, new JsonObject()));
  }

  private Future<JsonObject> createKey(JsonObject cmd) {
    Principal principal = Principal.fromJson(cmd.getJsonObject("principal"));
    String mode = java.util.Objects.requireNonNullElse(cmd.getString("mode"), principal.mode());
    String type = java.util.Objects.requireNonNullElse(cmd.getString("type"), "secret");
    if (!"test".equals(mode) && !"live".equals(mode)) {
      throw CowrieError.invalid("mode", "mode must be 'test' or 'live'.");
    }
    if (!"secret".equals(type) && !"publishable".equals(type)) {
      throw CowrieError.invalid("type", "type must be 'secret' or 'publishable'.");
    }
    // A test-mode credential cannot mint live keys: test and live never mix.
    if (!principal.isAdmin() && "live".equals(mode) && !"live".equals(principal.mode())) {
      throw new CowrieError(ErrorCode.PERMISSION_DENIED, "A test-mode key cannot create live-mode keys.", "mode");
    }
    String merchantId = merchant(cmd);
    return changed(Tenancy.transaction(pool, merchantId, sql -> sql.preparedQuery("SELECT 1 FROM merchants WHERE id = $1")
        .execute(Tuple.of(merchantId))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(CowrieError.notFound("merchant", merchantId))
            : ApiKeys.create(sql, merchantId, mode, type).map(ApiKeys.NewKey::toJson))));
  }

  private Future<JsonObject> createUser(JsonObject cmd) {
    Principal principal = Principal.fromJson(cmd.getJsonObject("principal"));
    String kind = cmd.getString("kind", "wallet");
    String mode = principal.isAdmin() ? cmd.getString("mode", "test") : principal.mode();
    dev.cowrie.security.Role role = "dashboard".equals(kind)
        ? java.util.Objects.requireNonNullElse(dev.cowrie.security.Role.fromWire(cmd.getString("role")), dev.cowrie.security.Role.OWNER)
        : null;
    return Users.create(pool, passwords, merchant(cmd), kind, mode, cmd.getString("username"), cmd.getString("password"), role);
  }

  /**
   * A login. A wallet user's merchant comes from the publishable key the app sends or, on a
   * merchant's own page (checkout), from {@code wallet_scope} ({merchant_id, mode}), which only
   * Cowrie's pages put on the bus.
   */
  private Future<JsonObject> issueToken(JsonObject cmd) {
    String publishableKey = cmd.getString("publishable_key");
    JsonObject pageScope = cmd.getJsonObject("wallet_scope");
    Future<Principal> walletScope = pageScope != null
        ? Future.succeededFuture(Principal.system("page", pageScope.getString("merchant_id"), pageScope.getString("mode")))
        : publishableKey == null ? Future.succeededFuture(null)
        : ApiKeys.authenticate(system, publishableKey, clock.instant()).map(found -> Principal.fromJson(found.getJsonObject("principal")));
    return walletScope.compose(scope -> signIn.login(new SignIn.Attempt(cmd.getString("username"), cmd.getString("password"),
            cmd.getString("totp_code"), scope == null ? null : scope.merchantId(), scope == null ? null : scope.mode(),
            cmd.getString("mode", "test"))))
        .compose(principal -> refreshTokens.start(principal).map(this::tokenReply));
  }

  private JsonObject tokenReply(RefreshTokens.Issued issued) {
    Principal principal = issued.principal();
    return new JsonObject()
        .put("access_token", tokens.issue(principal, issued.familyId(), tokens.accessTtlSeconds()))
        .put("token_type", "Bearer")
        .put("expires_in", tokens.accessTtlSeconds())
        .put("refresh_token", issued.token())
        .put("user", new JsonObject().put("id", principal.userId()).put("username", principal.username())
            .put("merchant", principal.merchantId()).put("mode", principal.mode())
            .put("role", principal.role() == null ? null : principal.role().wire()));
  }

  /** A merchant's entry is written as that tenant, an operator's (no merchant) by the system role; batched (AuditWriter). */
  private Future<JsonObject> audit(JsonObject entry) {
    return auditWriter.write(entry).map(new JsonObject().put("recorded", true));
  }

  private Future<JsonObject> listAudit(JsonObject cmd) {
    return system.preparedQuery("""
            SELECT id, at, actor, merchant_id, mode, action, target, status, ip, user_agent, request_id FROM audit_log
            WHERE ($1::text IS NULL OR merchant_id = $1) ORDER BY id DESC LIMIT $2""")
        .execute(Tuple.of(cmd.getString("merchant_id"), cmd.getInteger("limit", 100)))
        .map(rows -> {
          JsonArray data = new JsonArray();
          rows.forEach(row -> data.add(row.toJson().put("at", dev.cowrie.common.Times.rfc3339(row.getOffsetDateTime("at")))));
          return new JsonObject().put("object", "list").put("data", data).put("has_more", false);
        });
  }
}
