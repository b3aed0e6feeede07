package dev.cowrie.http;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.security.AuthAddresses;
import dev.cowrie.security.Principal;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.Map;

/**
 * The policy every browser page shares, as {@link Api} is for JSON routes: security headers
 * (strict CSP, no framing), the session cookie and the signed-in person (their stored token is
 * checked by the same {@link Authenticator} on every request), CSRF on every POST, the API's Redis
 * rate limit per client IP on every POST (sign-in, PIN, link forms), audit of what a signed-in
 * person changes, and error pages. Static files are served from the jar under {@code /assets/}.
 */
public final class Pages {
  /** No inline script or style anywhere; forms may continue to a provider's https checkout. */
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; form-action 'self' https:; base-uri 'none'; frame-ancestors 'none'";
  static final String ASSETS = "/assets/";
  private static final int ASSET_MAX_AGE_SECONDS = 3600;

  /** A page: reads the call, answers a view, a redirect or JSON, or fails with a {@link CowrieError}. */
  @FunctionalInterface
  public interface Endpoint {
    Future<Reply> handle(PageCall call);
  }

  private final Api api;
  private final PageSessions sessions;
  private final RateLimiter limiter;
  private final Idempotency idempotency;
  private final Api.Limits limits;
  private final long busTimeoutMs;

  Pages(Api api, PageSessions sessions, RateLimiter limiter, Idempotency idempotency, Api.Limits limits, long busTimeoutMs) {
    this.api = api;
    this.sessions = sessions;
    this.limiter = limiter;
    this.idempotency = idempotency;
    this.limits = limits;
    this.busTimeoutMs = busTimeoutMs;
    StaticHandler assets = StaticHandler.create("assets").setCachingEnabled(true).setMaxAgeSeconds(ASSET_MAX_AGE_SECONDS)
        .setDirectoryListing(false);
    api.router().route(HttpMethod.GET, ASSETS + "*").handler(ctx -> {
      headers(ctx.response());
      ctx.next();
    }).handler(assets);
    // Sign-out is the same for every page app: forget the session, go back to a page of this site.
    post("/pages/sign_out", call -> call.signOut().map(ignored -> PageCall.redirect("/pages/signed_out?return="
        + java.net.URLEncoder.encode(sameSitePath(call.form("return")), java.nio.charset.StandardCharsets.UTF_8))));
    get("/pages/signed_out", call -> Future.succeededFuture(call.view("signed_out.jte",
        Map.of("back", sameSitePath(call.query("return"))))));
  }

  /** A page or a JSON poll: never changes anything. */
  public void get(String path, Endpoint endpoint) {
    api.router().route(HttpMethod.GET, path).handler(ctx -> serve(ctx, endpoint, false));
  }

  /**
   * A page at a path whose JSON route stays for API clients (content negotiation): a browser
   * (Accept names text/html) gets the page, any other caller goes on to the route registered
   * after this one. Mount it before the JSON route.
   */
  public void getForBrowsers(String path, Endpoint endpoint) {
    api.router().route(HttpMethod.GET, path).handler(ctx -> {
      String accept = ctx.request().getHeader("Accept");
      if (accept == null || !accept.contains("text/html")) {
        ctx.next();
        return;
      }
      serve(ctx, endpoint, false);
    });
  }

  /** A form post or a script's fetch: CSRF-checked, rate-limited per client IP, audited when a person is signed in. */
  public void post(String path, Endpoint endpoint) {
    api.router().route(HttpMethod.POST, path).handler(ctx -> serve(ctx, endpoint, true));
  }

  PageSessions sessions() {
    return sessions;
  }

  Authenticator authenticator() {
    return api.authenticator();
  }

  Idempotency idempotency() {
    return idempotency;
  }

  /** A path on this site for a redirect; anything else (another origin, //host, schemes) becomes "/". */
  public static String sameSitePath(String requested) {
    return requested != null && requested.startsWith("/") && !requested.startsWith("//") && !requested.contains("\\")
        ? requested : "/";
  }

  private void serve(RoutingContext ctx, Endpoint endpoint, boolean changes) {
    headers(ctx.response());
    // Pages show a person's own data: never kept by a shared cache or the back button's disk cache.
    ctx.response().putHeader("Cache-Control", "no-store");
    if (!ctx.pathParams().values().stream().allMatch(Api::safePathValue)) {
      fail(ctx, CowrieError.notFound("page", ctx.request().path()));
      return;
    }
    sessions.find(ctx)
        .compose(session -> person(ctx, session).map(principal -> new PageCall(ctx, this, session, principal)))
        .compose(call -> {
          if (changes && !call.csrfMatches(csrfOf(ctx))) {
            return Future.failedFuture(new CowrieError(ErrorCode.PERMISSION_DENIED,
                "This form has expired or did not come from this site. Go back, reload the page and try again.", PageCall.CSRF_FIELD));
          }
          Future<Void> limited = changes ? rateLimit(ctx) : Future.succeededFuture();
          return limited.compose(ignored -> invoke(endpoint, call))
              .compose(reply -> call.saveIfNew().map(reply))
              .compose(reply -> changes && call.principal() != null
                  ? api.audit(ctx, HttpMethod.POST, call.principal(), reply).map(reply) : Future.succeededFuture(reply));
        })
        .onSuccess(reply -> ErrorReplies.write(ctx, reply))
        .onFailure(failure -> fail(ctx, failure));
  }

  /**
   * The signed-in person of a session: its access token goes through the same Authenticator as an
   * API call's (expiry, revocation); an expired one is refreshed once with the session's refresh token.
   */
  private Future<Principal> person(RoutingContext ctx, PageSessions.Session session) {
    if (session == null || !session.signedIn()) {
      return Future.succeededFuture(null);
    }
    return api.authenticator().authenticate(session.accessToken(), Access.ANY_AUTHENTICATED)
        .map(Authenticator.Identity::principal)
        .recover(expired -> session.refreshToken() == null ? Future.succeededFuture(null)
            : Bus.<JsonObject>request(api.vertx(), AuthAddresses.REFRESH_TOKEN,
                    new JsonObject().put("refresh_token", session.refreshToken()), busTimeoutMs)
                .compose(tokens -> sessions.update(ctx, session, tokens.getString("access_token"), tokens.getString("refresh_token")))
                .compose(updated -> api.authenticator().authenticate(updated.accessToken(), Access.ANY_AUTHENTICATED))
                .map(Authenticator.Identity::principal)
                .otherwise((Principal) null));
  }

  private static String csrfOf(RoutingContext ctx) {
    String header = ctx.request().getHeader("X-CSRF-Token");
    return header != null ? header : ctx.request().getFormAttribute(PageCall.CSRF_FIELD);
  }

  private Future<Void> rateLimit(RoutingContext ctx) {
    String ip = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    return limiter.take("page:ip:" + ip, limits.perIpPerSecond(), limits.perIpBurst(), 1).compose(decision -> {
      if (decision.allowed()) {
        return Future.succeededFuture();
      }
      long retry = Math.max(1, decision.retryAfterSeconds());
      ctx.response().putHeader("Retry-After", String.valueOf(retry));
      return Future.failedFuture(new CowrieError(ErrorCode.RATE_LIMITED,
          "Too many attempts from your network. Wait " + retry + " s, then try again."));
    });
  }

  private static Future<Reply> invoke(Endpoint endpoint, PageCall call) {
    try {
      return endpoint.handle(call);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** A script's fetch gets the API's error object; a person gets an error page saying what to do. */
  private static void fail(RoutingContext ctx, Throwable failure) {
    if (ctx.response().ended()) {
      return;
    }
    String accept = ctx.request().getHeader("Accept");
    if (accept != null && accept.contains("application/json")) {
      ctx.fail(failure);
      return;
    }
    CowrieError error = CowrieError.from(failure);
    if (error.code == ErrorCode.INTERNAL_ERROR) {
      org.slf4j.LoggerFactory.getLogger(Pages.class).error("Page {} failed", ctx.request().path(), failure);
    }
    String message = error.code == ErrorCode.INTERNAL_ERROR ? "Something went wrong on our side; it has been logged." : error.getMessage();
    var html = Templates.render("error.jte", Map.of("status", error.code.httpStatus, "message", message,
        "requestId", String.valueOf((Object) ctx.get(RequestIds.KEY))));
    ErrorReplies.write(ctx, Reply.raw(error.code.httpStatus, "text/html; charset=utf-8", html));
  }

  private static void headers(HttpServerResponse response) {
    response.putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Cross-Origin-Opener-Policy", "same-origin")
        .putHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  }
}
