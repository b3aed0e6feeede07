package dev.cowrie.http;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.security.Principal;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One request to a page: its session (created on first need), the signed-in person (null when
 * nobody is), the form fields, and the answers a page gives (a view, a redirect, JSON).
 */
public final class PageCall {
  /** The hidden field every form carries so that a repeated submit runs once (see {@link #once}). */
  public static final String SUBMIT_FIELD = "_submit";
  public static final String CSRF_FIELD = "_csrf";

  private final RoutingContext ctx;
  private final Pages pages;
  private PageSessions.Session session;
  private boolean unsaved;
  private Principal principal;

  PageCall(RoutingContext ctx, Pages pages, PageSessions.Session session, Principal principal) {
    this.ctx = ctx;
    this.pages = pages;
    this.session = session;
    this.principal = principal;
  }

  public RoutingContext ctx() {
    return ctx;
  }

  /** The signed-in person, or null. */
  public Principal principal() {
    return principal;
  }

  /** What the sign-in answered about the person ({@code id, username, merchant, mode}), or null. */
  public JsonObject user() {
    return principal == null || session == null ? null : session.user();
  }

  public String path(String name) {
    return ctx.pathParam(name);
  }

  public String query(String name) {
    return ctx.queryParams().get(name);
  }

  /** A form field (application/x-www-form-urlencoded), trimmed; null when absent or blank. */
  public String form(String name) {
    String value = ctx.request().getFormAttribute(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** The session's CSRF token, for the hidden {@value #CSRF_FIELD} field of forms and the X-CSRF-Token header of fetches. */
  public String csrf() {
    return session().csrf();
  }

  /** A fresh value for the hidden {@value #SUBMIT_FIELD} field of a form that creates or pays something. */
  public static String submitId() {
    return dev.cowrie.common.Secrets.randomToken(18);
  }

  /** The first language the browser asks for (Accept-Language), for formatting amounts and dates. */
  public Locale locale() {
    var languages = ctx.acceptableLanguages();
    return languages.isEmpty() ? Locale.UK : Locale.forLanguageTag(languages.get(0).value());
  }

  public String requestId() {
    return ctx.get(RequestIds.KEY);
  }

  /** The principal and request id as they travel with a bus command: the same shape an API route sends. */
  public JsonObject command(JsonObject payload) {
    return payload.put("principal", principal == null ? null : principal.toJson()).put("request_id", requestId());
  }

  /** An HTML page from a template; {@code page} (a {@link PageChrome}) and {@code csrf} are added for the layout and forms. */
  public Reply view(int status, String template, Map<String, Object> params) {
    Map<String, Object> all = new HashMap<>(params);
    all.putIfAbsent("csrf", csrf());
    all.putIfAbsent("page", new PageChrome(csrf(), user(), ctx.request().path()));
    Buffer html = Templates.render(template, all);
    return Reply.raw(status, "text/html; charset=utf-8", html);
  }

  public Reply view(String template, Map<String, Object> params) {
    return view(200, template, params);
  }

  /** 303 See Other: after a form, the browser GETs {@code location}. */
  public static Reply redirect(String location) {
    return Reply.raw(303, "text/plain; charset=utf-8", Buffer.buffer("See " + location)).withHeaders(Map.of("Location", location));
  }

  /**
   * A one-use ticket ({@code ?ticket=}) for the signed-in person's sockets, as POST
   * /v1/realtime/tickets issues it for their token: a page's script never holds the token itself.
   */
  public Future<JsonObject> realtimeTicket() {
    if (principal == null || session == null) {
      return Future.failedFuture(new CowrieError(ErrorCode.INVALID_TOKEN, "Sign in first."));
    }
    return pages.authenticator().tickets().issue(session.accessToken());
  }

  /** Signs the person in with the token answer of {@code cowrie.auth.issue_token}: a new session id and CSRF token. */
  public Future<Void> signIn(JsonObject tokens) {
    return pages.sessions().signIn(ctx, session, tokens.getString("access_token"), tokens.getString("refresh_token"),
            tokens.getJsonObject("user"))
        .compose(signedIn -> {
          session = signedIn;
          unsaved = false;
          return pages.authenticator().authenticate(signedIn.accessToken(), Access.ANY_AUTHENTICATED);
        })
        .map(identity -> {
          principal = identity.principal();
          return null;
        });
  }

  public Future<Void> signOut() {
    Future<Void> out = pages.sessions().signOut(ctx, session);
    session = null;
    principal = null;
    return out;
  }

  /**
   * Runs {@code action} once per form submit: the form's {@value #SUBMIT_FIELD} value is an
   * Idempotency-Key in the tenant of {@code merchantId}/{@code mode} (the same store the API uses),
   * so a double click or a reload of the POST replays the first answer instead of running again.
   */
  public Future<JsonObject> once(String merchantId, String mode, Supplier<Future<JsonObject>> action) {
    String key = form(SUBMIT_FIELD);
    if (key == null) {
      return Future.failedFuture(new CowrieError(ErrorCode.PARAMETER_MISSING, "This form is missing its submit id; reload the page.",
          SUBMIT_FIELD));
    }
    Idempotency.validate(key);
    String scopeMode = mode + ":page" + (principal == null ? "" : ":" + principal.actorId());
    String fingerprint = Idempotency.fingerprint("POST", ctx.request().path(), Buffer.buffer(key));
    return pages.idempotency().run(new Idempotency.Scope(merchantId, scopeMode), key, fingerprint,
        () -> action.get().map(Reply::ok)).map(Reply::json);
  }

  PageSessions.Session session() {
    if (session == null) {
      session = PageSessions.fresh();
      unsaved = true;
    }
    return session;
  }

  /** Stores a session made during this request, so the CSRF token the page carries is known on submit. */
  Future<Void> saveIfNew() {
    return unsaved ? pages.sessions().save(ctx, session) : Future.succeededFuture();
  }

  boolean csrfMatches(String presented) {
    return session != null && presented != null && dev.cowrie.common.Secrets.constantTimeEquals(session.csrf(), presented);
  }
}
