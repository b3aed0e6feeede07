package dev.cowrie.http;

import dev.cowrie.common.CowrieError;
import dev.cowrie.security.AuthAddresses;
import dev.cowrie.security.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Registers endpoints with the policy every route shares, in this order: authenticate, rate
 * limit, Idempotency-Key (POST), run, write the answer, audit the mutation. Feature routes call
 * {@link #get}, {@link #post} … and never touch these concerns themselves.
 */
public final class Api {
  /** An endpoint: reads the call, answers a reply or fails with a {@link CowrieError}. */
  @FunctionalInterface
  public interface Endpoint {
    Future<Reply> handle(Call call);
  }

  public record Route(HttpMethod method, String path, Access access) {}

  private final Vertx vertx;
  private final Router router;
  private final Authenticator authenticator;
  private final RateLimiter limiter;
  private final Idempotency idempotency;
  private final Limits limits;
  private final List<Route> routes = new ArrayList<>();
  private Pages pages;

  /** The rate-limit bucket a call draws from, kept on the routing context for {@link #charge}. */
  private record Bucket(String name, int perSecond, int burst) {}

  private static final String BUCKET = "cowrie.rate.bucket";

  /** Default rate limits from config. */
  record Limits(int perKeyPerSecond, int perKeyBurst, int perIpPerSecond, int perIpBurst) {}

  Api(Vertx vertx, Router router, Authenticator authenticator, RateLimiter limiter, Idempotency idempotency, Limits limits) {
    this.vertx = vertx;
    this.router = router;
    this.authenticator = authenticator;
    this.limiter = limiter;
    this.idempotency = idempotency;
    this.limits = limits;
  }

  public Vertx vertx() {
    return vertx;
  }

  public Router router() {
    return router;
  }

  public Authenticator authenticator() {
    return authenticator;
  }

  /** The browser pages' policy (sessions, CSRF, security headers), for features that serve pages. */
  public Pages pages() {
    return pages;
  }

  void pages(Pages pages) {
    this.pages = pages;
  }

  public List<Route> routes() {
    return List.copyOf(routes);
  }

  public void get(String path, Access access, Endpoint endpoint) {
    add(HttpMethod.GET, path, access, endpoint);
  }

  public void post(String path, Access access, Endpoint endpoint) {
    add(HttpMethod.POST, path, access, endpoint);
  }

  /**
   * A POST whose route records the request itself ({@link RequestRecord} in its command, see
   * {@link Call#command}): it claims and completes the Idempotency-Key and writes the audit row
   * inside its own transactions, so those cost no commits of their own.
   */
  public void postRecorded(String path, Access access, Endpoint endpoint) {
    routes.add(new Route(HttpMethod.POST, path, access));
    router.route(HttpMethod.POST, path).handler(ctx -> serve(ctx, HttpMethod.POST, access, endpoint, true));
  }

  public void put(String path, Access access, Endpoint endpoint) {
    add(HttpMethod.PUT, path, access, endpoint);
  }

  public void patch(String path, Access access, Endpoint endpoint) {
    add(HttpMethod.PATCH, path, access, endpoint);
  }

  public void delete(String path, Access access, Endpoint endpoint) {
    add(HttpMethod.DELETE, path, access, endpoint);
  }

  private void add(HttpMethod method, String path, Access access, Endpoint endpoint) {
    routes.add(new Route(method, path, access));
    router.route(method, path).handler(ctx -> serve(ctx, method, access, endpoint, false));
  }

  private void serve(RoutingContext ctx, HttpMethod method, Access access, Endpoint endpoint, boolean recorded) {
    for (Map.Entry<String, String> param : ctx.pathParams().entrySet()) {
      if (!safePathValue(param.getValue())) {
        ctx.fail(new CowrieError(dev.cowrie.common.ErrorCode.PARAMETER_INVALID,
            param.getKey() + " in the path is not a valid identifier.", param.getKey()));
        return;
      }
    }
    for (Map.Entry<String, String> param : ctx.queryParams()) {
      if (!safePathValue(param.getValue()) && !param.getValue().isEmpty()) {
        ctx.fail(new CowrieError(dev.cowrie.common.ErrorCode.PARAMETER_INVALID,
            param.getKey() + " holds characters that no valid value has.", param.getKey()));
        return;
      }
    }
    Future<Authenticator.Identity> identity = access == Access.NONE
        ? Future.succeededFuture(null)
        : authenticator.authenticate(Authenticator.credential(ctx.request().getHeader("Authorization")), access);
    identity
        .compose(id -> rateLimit(ctx, id).map(id))
        .compose(id -> {
          Call call = new Call(ctx, id == null ? null : id.principal());
          return recorded && call.principal() != null ? runRecorded(ctx, method, call, endpoint)
              : run(ctx, method, call, endpoint).compose(reply -> audit(ctx, method, call.principal(), reply).map(reply));
        })
        .onSuccess(reply -> ErrorReplies.write(ctx, reply))
        .onFailure(ctx::fail);
  }

  /** Ids and names in paths and queries are printable text of bounded length; NUL, control bytes and broken UTF-8 never reach SQL. */
  static boolean safePathValue(String value) {
    if (value == null || value.isEmpty() || value.length() > 2048) {
      return false;
    }
    return value.chars().allMatch(c -> c >= 0x20 && c != 0x7f && c != 0xfffd);
  }

  private Future<Void> rateLimit(RoutingContext ctx, Authenticator.Identity identity) {
    Bucket bucket;
    if (identity != null && !identity.principal().isAdmin()) {
      Principal principal = identity.principal();
      bucket = new Bucket("key:" + principal.actorId(),
          identity.perSecond() > 0 ? identity.perSecond() : limits.perKeyPerSecond(),
          identity.burst() > 0 ? identity.burst() : limits.perKeyBurst());
    } else if (identity == null && ctx.request().path().startsWith("/v1/auth/")) {
      bucket = new Bucket("ip:" + ctx.request().remoteAddress().hostAddress(), limits.perIpPerSecond(), limits.perIpBurst());
    } else {
      return Future.succeededFuture();
    }
    ctx.put(BUCKET, bucket);
    return take(ctx, bucket, 1);
  }

  /**
   * Takes {@code tokens} more from the caller's rate limit, for work that costs far more than a
   * request (a QR decode); over the limit it fails with 429 like any request would.
   */
  public Future<Void> charge(Call call, int tokens) {
    Bucket bucket = call.ctx().get(BUCKET);
    return bucket == null || tokens <= 0 ? Future.succeededFuture() : take(call.ctx(), bucket, tokens);
  }

  private Future<Void> take(RoutingContext ctx, Bucket bucket, int tokens) {
    return limiter.take(bucket.name(), bucket.perSecond(), bucket.burst(), tokens).compose(decision -> {
      var headers = ctx.response().headers();
      headers.set("RateLimit-Limit", String.valueOf(decision.limit()));
      headers.set("RateLimit-Remaining", String.valueOf(decision.remaining()));
      headers.set("RateLimit-Reset", String.valueOf(decision.resetSeconds()));
      if (decision.allowed()) {
        return Future.succeededFuture();
      }
      headers.set("Retry-After", String.valueOf(Math.max(1, decision.retryAfterSeconds())));
      return Future.failedFuture(new CowrieError(dev.cowrie.common.ErrorCode.RATE_LIMITED,
          "Too many requests; retry after " + Math.max(1, decision.retryAfterSeconds()) + " s."));
    });
  }

  private Future<Reply> run(RoutingContext ctx, HttpMethod method, Call call, Endpoint endpoint) {
    String key = ctx.request().getHeader(Idempotency.HEADER);
    Principal principal = call.principal();
    // Keys are scoped to a merchant and mode (API.md), so they apply to authenticated calls only;
    // unauthenticated POSTs (login, provider callbacks, the sandbox's own API) de-duplicate by their own means.
    if (method != HttpMethod.POST || key == null || principal == null) {
      return invoke(endpoint, call);
    }
    Idempotency.validate(key);
    return idempotency.run(scope(principal), key, fingerprint(ctx, method), () -> invoke(endpoint, call));
  }

  /** The route gets its key claim and its audit entry in {@link RequestRecord}; it writes both itself. */
  private Future<Reply> runRecorded(RoutingContext ctx, HttpMethod method, Call call, Endpoint endpoint) {
    String key = ctx.request().getHeader(Idempotency.HEADER);
    JsonObject audit = auditEntry(ctx, method, call.principal());
    if (key == null) {
      ctx.put(RequestRecord.FIELD, new RequestRecord(null, audit).toJson());
      return invoke(endpoint, call);
    }
    Idempotency.validate(key);
    return idempotency.runRecorded(scope(call.principal()), key, fingerprint(ctx, method), claim -> {
      ctx.put(RequestRecord.FIELD, new RequestRecord(claim, audit).toJson());
      return invoke(endpoint, call);
    });
  }

  private static Idempotency.Scope scope(Principal principal) {
    return principal.isAdmin()
        ? new Idempotency.Scope("admin", "admin")
        : new Idempotency.Scope(principal.merchantId(),
            principal.kind() == Principal.Kind.WALLET_USER ? principal.mode() + ":" + principal.userId() : principal.mode());
  }

  private static String fingerprint(RoutingContext ctx, HttpMethod method) {
    return Idempotency.fingerprint(method.name(), ctx.request().path(), ctx.body() == null ? null : ctx.body().buffer());
  }

  private static Future<Reply> invoke(Endpoint endpoint, Call call) {
    try {
      return endpoint.handle(call);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Records a successful mutation; waits for the row so a client that sees 2xx can find it. */
  Future<Void> audit(RoutingContext ctx, HttpMethod method, Principal principal, Reply reply) {
    if (method == HttpMethod.GET || principal == null || reply.status() >= 400
        || "true".equals(reply.headers().get("Idempotent-Replayed"))) {
      return Future.succeededFuture();
    }
    String target = reply.json() != null && reply.json().getValue("id") instanceof String id ? id : null;
    if (target == null && !ctx.pathParams().isEmpty()) {
      target = ctx.pathParams().values().iterator().next();
    }
    JsonObject entry = auditEntry(ctx, method, principal).put("target", target).put("status", reply.status());
    return vertx.eventBus().request(AuthAddresses.AUDIT, entry, dev.cowrie.common.Bus.command(15_000))
        .<Void>mapEmpty()
        .recover(failure -> {
          org.slf4j.LoggerFactory.getLogger(Api.class).error("Audit entry lost: {} ({})", entry.encode(), failure.getMessage());
          return Future.succeededFuture();
        });
  }

  /** Who did what from where; the target and the status are added once known. */
  private static JsonObject auditEntry(RoutingContext ctx, HttpMethod method, Principal principal) {
    return new JsonObject()
        .put("actor", principal.actorId())
        .put("merchant_id", principal.merchantId())
        .put("mode", principal.mode())
        .put("action", method.name() + " " + ctx.currentRoute().getPath())
        .put("ip", ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress())
        .put("user_agent", ctx.request().getHeader("User-Agent"))
        .put("request_id", (String) ctx.get(RequestIds.KEY));
  }

}
