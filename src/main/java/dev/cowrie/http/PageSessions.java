package dev.cowrie.http;

import dev.cowrie.common.Secrets;
import dev.cowrie.store.RedisStore;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Browser sessions of the pages: the cookie holds only a random id (HttpOnly, SameSite=Lax, Secure
 * when the public URL is https); what it stands for lives in Redis under the id's hash: the CSRF
 * token and, once the person signs in, their API tokens. No token ever reaches JavaScript.
 */
public final class PageSessions {
  /** A session: its id (the cookie), its CSRF token, and the signed-in person's tokens, if any. */
  public record Session(String id, String csrf, String accessToken, String refreshToken, JsonObject user) {
    JsonObject toJson() {
      return new JsonObject().put("csrf", csrf).put("access_token", accessToken).put("refresh_token", refreshToken)
          .put("user", user);
    }

    static Session fromJson(String id, JsonObject json) {
      return new Session(id, json.getString("csrf"), json.getString("access_token"), json.getString("refresh_token"),
          json.getJsonObject("user"));
    }

    public boolean signedIn() {
      return accessToken != null;
    }
  }

  private final RedisStore redis;
  private final int ttlSeconds;
  private final boolean secure;
  private final String cookieName;

  PageSessions(RedisStore redis, int ttlSeconds, String publicUrl) {
    this.redis = redis;
    this.ttlSeconds = ttlSeconds;
    this.secure = publicUrl.startsWith("https://");
    // __Host- binds the cookie to this host and path / (browsers take the prefix only on Secure cookies).
    this.cookieName = secure ? "__Host-cowrie_page" : "cowrie_page";
  }

  public String cookieName() {
    return cookieName;
  }

  /** The session the request's cookie names, or null (no cookie, unknown or expired id). Each use extends its life. */
  Future<Session> find(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(cookieName);
    String id = cookie == null ? null : cookie.getValue();
    if (id == null || id.length() < 40 || id.length() > 64 || !id.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c))) {
      return Future.succeededFuture(null);
    }
    return redis.api().getex(List.of(key(id), "EX", String.valueOf(ttlSeconds)))
        .map(stored -> stored == null ? null : Session.fromJson(id, new JsonObject(stored.toString())));
  }

  /** A fresh anonymous session (kept once {@link #save} runs). */
  static Session fresh() {
    return new Session(Secrets.randomToken(32), Secrets.randomToken(32), null, null, null);
  }

  /** Stores the session and (re)sets its cookie. */
  Future<Void> save(RoutingContext ctx, Session session) {
    return redis.api().set(List.of(key(session.id()), session.toJson().encode(), "EX", String.valueOf(ttlSeconds)))
        .onSuccess(ok -> ctx.response().addCookie(cookie(session.id(), ttlSeconds)))
        .mapEmpty();
  }

  /** Signing in gets a new id and CSRF token (no session fixation): the old session is dropped. */
  Future<Session> signIn(RoutingContext ctx, Session old, String accessToken, String refreshToken, JsonObject user) {
    Session signedIn = new Session(Secrets.randomToken(32), Secrets.randomToken(32), accessToken, refreshToken, user);
    return drop(old).compose(ignored -> save(ctx, signedIn)).map(signedIn);
  }

  /** Keeps the id, with new tokens (after a refresh). */
  Future<Session> update(RoutingContext ctx, Session session, String accessToken, String refreshToken) {
    Session updated = new Session(session.id(), session.csrf(), accessToken, refreshToken, session.user());
    return save(ctx, updated).map(updated);
  }

  /** Forgets the session and clears the cookie. */
  Future<Void> signOut(RoutingContext ctx, Session session) {
    return drop(session).onComplete(done -> ctx.response().addCookie(cookie("", 0)));
  }

  private Future<Void> drop(Session session) {
    return session == null ? Future.succeededFuture() : redis.api().del(List.of(key(session.id()))).mapEmpty();
  }

  private Cookie cookie(String value, long maxAgeSeconds) {
    return Cookie.cookie(cookieName, value).setPath("/").setHttpOnly(true).setSecure(secure)
        .setSameSite(CookieSameSite.LAX).setMaxAge(maxAgeSeconds);
  }

  private String key(String id) {
    return redis.key("page", Secrets.sha256Hex(id));
  }
}
