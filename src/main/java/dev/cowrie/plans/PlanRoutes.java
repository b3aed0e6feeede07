package dev.cowrie.plans;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Input;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.http.Access;
import dev.cowrie.http.Api;
import dev.cowrie.http.Reply;
import dev.cowrie.http.Routes;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;

/** Plans (operator), a merchant's subscription to one and its statements over HTTP. */
public final class PlanRoutes implements Routes {
  private final long timeoutMs;

  public PlanRoutes(CowrieConfig config) {
    this.timeoutMs = config.bus().requestTimeoutMs();
  }

  @Override
  public void mount(Api api) {
    api.post("/v1/admin/plans", Access.ADMIN, call -> {
      // Validated here, so a bad field is a 400 naming it before anything is sent.
      Plan.fromRequest("plan_check", call.body());
      return send(api, PlanAddresses.CREATE, new JsonObject().put("plan", call.body())).map(Reply::created);
    });
    api.get("/v1/admin/plans", Access.ADMIN, call -> send(api, PlanAddresses.LIST, new JsonObject()
        .put("archived", "true".equals(call.query("archived"))).put("limit", call.page().limit())).map(Reply::ok));
    api.post("/v1/admin/plans/:id/archive", Access.ADMIN, call ->
        send(api, PlanAddresses.ARCHIVE, new JsonObject().put("id", call.path("id"))).map(Reply::ok));
    api.post("/v1/admin/merchants/:id/subscription", Access.ADMIN, call -> {
      JsonObject body = call.body();
      Input.onlyKnown(body, Set.of("plan", "effective"));
      String effective = body.getValue("effective") == null ? "next_period" : body.getValue("effective").toString();
      if (!effective.equals("now") && !effective.equals("next_period")) {
        throw CowrieError.invalid("effective", "effective must be 'now' or 'next_period' (the default).");
      }
      return send(api, PlanAddresses.SUBSCRIBE, new JsonObject().put("merchant_id", call.path("id"))
          .put("plan", Input.string(body, "plan", 100)).put("effective", effective)).map(Reply::ok);
    });
    api.get("/v1/subscription", Access.SECRET, call ->
        send(api, PlanAddresses.SUBSCRIPTION, call.command(new JsonObject())).map(Reply::ok));
    api.get("/v1/statements", Access.SECRET, call ->
        send(api, PlanAddresses.LIST_STATEMENTS, call.command(new JsonObject().put("page", call.page().toJson()))).map(Reply::ok));
    api.get("/v1/statements/:id", Access.SECRET, call ->
        send(api, PlanAddresses.GET_STATEMENT, call.command(new JsonObject().put("id", call.path("id")))).map(Reply::ok));
    api.get("/v1/statements/:id/csv", Access.SECRET, call ->
        send(api, PlanAddresses.GET_STATEMENT, call.command(new JsonObject().put("id", call.path("id"))))
            .map(statement -> Reply.raw(200, "text/csv; charset=utf-8", Buffer.buffer(Statements.csv(statement)))
                .withHeaders(Map.of("Content-Disposition", "attachment; filename=\"" + statement.getString("id") + ".csv\""))));
  }

  private Future<JsonObject> send(Api api, String address, JsonObject command) {
    return Bus.request(api.vertx(), address, command, timeoutMs);
  }
}
