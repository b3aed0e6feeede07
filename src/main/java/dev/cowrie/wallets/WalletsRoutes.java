package dev.cowrie.wallets;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Input;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.config.Timeouts;
import dev.cowrie.http.Access;
import dev.cowrie.http.Api;
import dev.cowrie.http.Call;
import dev.cowrie.http.Reply;
import dev.cowrie.http.Routes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** The wallet user's own wallet, top-ups and transfers (API.md "Wallets and transfers"). */
public final class WalletsRoutes implements Routes {
  private final long timeoutMs;
  private final long topupTimeoutMs;

  public WalletsRoutes(CowrieConfig config) {
    Timeouts timeouts = Timeouts.of(config);
    this.timeoutMs = timeouts.commandMs();
    // A top-up waits on the payment creation it asks for.
    this.topupTimeoutMs = timeouts.around(timeouts.creationMs());
  }

  @Override
  public void mount(Api api) {
    api.get("/v1/wallet", Access.WALLET_USER, call ->
        send(api, WalletsAddresses.GET_WALLET, call.command(new JsonObject())).map(Reply::ok));
    api.post("/v1/wallet/topups", Access.WALLET_USER, call -> {
      JsonObject body = call.body();
      Input.onlyKnown(body, Set.of("amount", "currency", "provider"));
      TopupCreate topup = new TopupCreate(call.principal(), call.requestId(), Input.amount(body, "amount"),
          Input.currency(body, "currency"), Input.optionalString(body, "provider", 40), call.requiredIdempotencyKey());
      return Bus.<JsonObject>request(api.vertx(), WalletsAddresses.TOPUP, call.command(topup.toJson()), topupTimeoutMs)
          .map(Reply::created);
    });
    api.postRecorded("/v1/transfers", Access.WALLET_USER, call ->
        send(api, WalletsAddresses.TRANSFER, transferCommand(call)).map(Reply::created));
    api.get("/v1/transfers", Access.WALLET_USER, call -> {
      String direction = call.query("direction");
      if (direction != null && !direction.equals("sent") && !direction.equals("received")) {
        throw CowrieError.invalid("direction", "direction must be 'sent' or 'received'.");
      }
      return send(api, WalletsAddresses.LIST_TRANSFERS, call.command(new JsonObject().put("direction", direction)
          .put("page", call.page().toJson()))).map(Reply::ok);
    });
    api.get("/v1/transfers/:id", Access.WALLET_USER, call ->
        send(api, WalletsAddresses.GET_TRANSFER, call.command(new JsonObject().put("id", call.path("id")))).map(Reply::ok));
  }

  private static JsonObject transferCommand(Call call) {
    JsonObject body = call.body();
    Input.onlyKnown(body, Set.of("to", "amount", "currency", "note", "pin"));
    TransferCreate.Fields fields = TransferCreate.Fields.from(body);
    // Call#command adds the request's record (its key's claim and audit row) to the record's own fields.
    return call.command(new TransferCreate(call.principal(), call.requestId(), null, fields, call.requiredIdempotencyKey()).toJson());
  }

  private Future<JsonObject> send(Api api, String address, JsonObject command) {
    return Bus.request(api.vertx(), address, command, timeoutMs);
  }
}
