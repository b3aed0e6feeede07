package dev.cowrie.dashboard;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.http.Api;
import dev.cowrie.http.PageCall;
import dev.cowrie.http.Pages;
import dev.cowrie.http.Reply;
import dev.cowrie.security.AuthAddresses;
import dev.cowrie.security.Principal;
import dev.cowrie.security.Role;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The dashboard's Team, Profile and KYC, Developers (API keys) and Audit log pages. */
final class SettingsPages {
  private static final List<String> PROFILE_FIELDS = List.of("legal_name", "trading_name", "country", "registration_number",
      "address", "website", "support_email");
  private static final int DOCUMENT_BYTES_MAX = 5 * 1024 * 1024;
  private static final int DOCUMENT_FORM_BYTES_MAX = DOCUMENT_BYTES_MAX + 64 * 1024;
  private final Dashboard dashboard;

  SettingsPages(Dashboard dashboard) {
    this.dashboard = dashboard;
  }

  void mount(Api api) {
    Pages pages = api.pages();
    pages.get("/dashboard/team", call -> dashboard.signedIn(call, (c, user) -> team(c, user, Map.of())));
    pages.post("/dashboard/team", call -> dashboard.signedIn(call, (c, user) -> invite(c, user)));
    pages.post("/dashboard/team/:id/role", call -> dashboard.signedIn(call, (c, user) -> Role.fromWire(c.form("role")) == null
        ? team(c, user, Dashboard.error(CowrieError.invalid("role", "Choose a role.")))
        : act(c, user, HttpMethod.PATCH, "/v1/team/members/:id", AuthAddresses.TEAM_CHANGE,
            new JsonObject().put("id", c.path("id")).put("role", c.form("role")), "/dashboard/team",
            failure -> team(c, user, Dashboard.error(failure)))));
    pages.post("/dashboard/team/:id/remove", call -> dashboard.signedIn(call, (c, user) -> act(c, user, HttpMethod.DELETE,
        "/v1/team/members/:id", AuthAddresses.TEAM_REMOVE, new JsonObject().put("id", c.path("id")), "/dashboard/team",
        failure -> team(c, user, Dashboard.error(failure)))));
    pages.get("/dashboard/profile", call -> dashboard.signedIn(call, (c, user) -> profile(c, user, Map.of())));
    pages.post("/dashboard/profile", call -> dashboard.signedIn(call, (c, user) -> saveProfile(c, user)));
    pages.post("/dashboard/profile/submit", call -> dashboard.signedIn(call, (c, user) -> act(c, user, HttpMethod.POST,
        "/v1/profile/submit", AuthAddresses.PROFILE_SUBMIT, new JsonObject(), "/dashboard/profile?done=submitted",
        failure -> profile(c, user, Dashboard.error(failure)))));
    api.uploadLimit("/dashboard/profile/documents", DOCUMENT_FORM_BYTES_MAX);
    pages.post("/dashboard/profile/documents", call -> dashboard.signedIn(call, (c, user) -> upload(c, user)));
    pages.get("/dashboard/developers", call -> dashboard.signedIn(call, (c, user) -> developers(c, user, Map.of())));
    pages.post("/dashboard/developers/keys", call -> dashboard.signedIn(call, (c, user) -> dashboard.as(c, HttpMethod.POST,
            "/v1/api_keys", AuthAddresses.CREATE_KEY, new JsonObject().put("type", "publishable".equals(c.form("type")) ? "publishable" : "secret"))
        .compose(key -> developers(c, user, Map.of("created", key)))
        .recover(failure -> developers(c, user, Dashboard.error(failure)))));
    pages.post("/dashboard/developers/keys/:id/revoke", call -> dashboard.signedIn(call, (c, user) -> act(c, user, HttpMethod.POST,
        "/v1/api_keys/:id/revoke", AuthAddresses.REVOKE_KEY, new JsonObject().put("id", c.path("id")), "/dashboard/developers",
        failure -> developers(c, user, Dashboard.error(failure)))));
    pages.get("/dashboard/audit", call -> dashboard.signedIn(call, (c, user) -> audit(c)));
  }

  private interface Fallback {
    Future<Reply> answer(Throwable failure);
  }

  /** One form doing what API route {@code method path} does; then back to {@code next}, or the page again with the error. */
  private Future<Reply> act(PageCall call, Principal user, HttpMethod method, String path, String address, JsonObject payload,
      String next, Fallback fallback) {
    return dashboard.as(call, method, path, address, payload).map(done -> PageCall.redirect(next)).recover(fallback::answer);
  }

  private Future<Reply> team(PageCall call, Principal user, Map<String, Object> extra) {
    return dashboard.as(call, HttpMethod.GET, "/v1/team/members", AuthAddresses.TEAM_LIST, new JsonObject().put("limit", 100))
        .map(list -> view(call, "team", "Team", "dashboard/team.jte", extra, Map.of("members", Dashboard.objects(list.getJsonArray("data")),
            "manage", Dashboard.may(user, HttpMethod.POST, "/v1/team/members"), "me", user.userId())));
  }

  private Future<Reply> invite(PageCall call, Principal user) {
    String username = call.form("username");
    String role = call.form("role");
    if (username == null || Role.fromWire(role) == null) {
      return team(call, user, Dashboard.error(username == null ? CowrieError.missing("username")
          : CowrieError.invalid("role", "Choose a role.")));
    }
    return dashboard.as(call, HttpMethod.POST, "/v1/team/members", AuthAddresses.TEAM_ADD,
            new JsonObject().put("username", username).put("role", role).put("password", call.form("password")))
        .compose(member -> team(call, user, Map.of("invited", member)))
        .recover(failure -> team(call, user, Dashboard.error(failure)));
  }

  private Future<Reply> saveProfile(PageCall call, Principal user) {
    JsonObject fields;
    try {
      fields = profileFields(call);
    } catch (CowrieError invalid) {
      return profile(call, user, withTyped(call, Dashboard.error(invalid)));
    }
    return act(call, user, HttpMethod.PUT, "/v1/profile", AuthAddresses.PROFILE_UPDATE, new JsonObject().put("fields", fields),
        "/dashboard/profile?done=saved", failure -> profile(call, user, withTyped(call, Dashboard.error(failure))));
  }

  private Future<Reply> profile(PageCall call, Principal user, Map<String, Object> extra) {
    return dashboard.as(call, HttpMethod.GET, "/v1/profile", AuthAddresses.PROFILE_GET, new JsonObject())
        .map(profile -> {
          Map<String, Object> own = new HashMap<>();
          JsonObject typed = (JsonObject) extra.getOrDefault("typed", profile);
          PROFILE_FIELDS.forEach(field -> own.put(field, typed.getString(field) == null ? "" : typed.getString(field)));
          own.put("profile", profile);
          own.put("documents", Dashboard.objects(profile.getJsonArray("documents")));
          own.put("edit", Dashboard.may(user, HttpMethod.PUT, "/v1/profile"));
          own.put("notice", switch (String.valueOf(call.query("done"))) {
            case "saved" -> "Saved.";
            case "submitted" -> "Submitted for review. You will be able to use live mode once it is approved.";
            case "uploaded" -> "Document uploaded.";
            default -> "";
          });
          return view(call, "profile", "Profile and verification", "dashboard/profile.jte", extra, own);
        });
  }

  /** The fields as typed, so an error keeps them on the form. */
  private static Map<String, Object> withTyped(PageCall call, Map<String, Object> error) {
    Map<String, Object> params = new HashMap<>(error);
    JsonObject typed = new JsonObject();
    PROFILE_FIELDS.forEach(field -> typed.put(field, call.form(field)));
    params.put("typed", typed);
    return params;
  }

  private static JsonObject profileFields(PageCall call) {
    JsonObject fields = new JsonObject();
    PROFILE_FIELDS.forEach(field -> fields.put(field, call.form(field)));
    return dev.cowrie.auth.ProfileRoutes.fields(fields);
  }

  private Future<Reply> upload(PageCall call, Principal user) {
    List<FileUpload> files = call.ctx().fileUploads();
    Future<JsonObject> stored = files.size() != 1
        ? Future.failedFuture(new CowrieError(ErrorCode.PARAMETER_MISSING, "Choose a file to upload.", "file"))
        : dev.cowrie.auth.ProfileRoutes.document(dashboard.api().vertx(), files.get(0), call.form("kind"), DOCUMENT_BYTES_MAX)
            .compose(payload -> dashboard.as(call, HttpMethod.POST, "/v1/profile/documents", AuthAddresses.DOCUMENT_ADD, payload));
    return stored.map(done -> PageCall.redirect("/dashboard/profile?done=uploaded"))
        .recover(failure -> profile(call, user, Dashboard.error(failure)));
  }

  private Future<Reply> developers(PageCall call, Principal user, Map<String, Object> extra) {
    if (!Dashboard.may(user, HttpMethod.GET, "/v1/api_keys")) {
      return Future.succeededFuture(view(call, "developers", "Developers", "dashboard/developers.jte", extra,
          Map.of("keys", List.of(), "allowed", false)));
    }
    return dashboard.as(call, HttpMethod.GET, "/v1/api_keys", AuthAddresses.LIST_KEYS, new JsonObject().put("mode", user.mode()))
        .map(list -> view(call, "developers", "Developers", "dashboard/developers.jte", extra,
            Map.of("keys", Dashboard.objects(list.getJsonArray("data")), "allowed", true)));
  }

  private Future<Reply> audit(PageCall call) {
    JsonObject filter = new JsonObject().put("actor", blank(call.query("actor"))).put("action", blank(call.query("action")))
        .put("starting_after", Long.MAX_VALUE).put("limit", 50);
    return dashboard.as(call, HttpMethod.GET, "/v1/audit_log", AuthAddresses.MERCHANT_AUDIT, new JsonObject().put("filter", filter))
        .map(list -> view(call, "audit", "Audit log", "dashboard/audit.jte", Map.of(), Map.of(
            "entries", Dashboard.objects(list.getJsonArray("data")),
            "actor", filter.getString("actor") == null ? "" : filter.getString("actor"),
            "action", filter.getString("action") == null ? "" : filter.getString("action"))))
        .recover(failure -> Future.succeededFuture(view(call, "audit", "Audit log", "dashboard/audit.jte", Dashboard.error(failure),
            Map.of("entries", List.of(), "actor", "", "action", ""))));
  }

  private static Reply view(PageCall call, String section, String title, String template, Map<String, Object> extra,
      Map<String, Object> own) {
    Map<String, Object> params = new HashMap<>(own);
    params.putAll(extra);
    params.putIfAbsent("error", "");
    params.putIfAbsent("errorField", "");
    params.putIfAbsent("notice", "");
    return call.view(extra.containsKey("error") ? 422 : 200, template, Dashboard.frame(call, section, title, params));
  }

  private static String blank(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
