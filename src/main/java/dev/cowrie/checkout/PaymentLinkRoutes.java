package dev.cowrie.checkout;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Input;
import dev.cowrie.common.Money;
import dev.cowrie.common.QrCodes;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.http.Access;
import dev.cowrie.http.Api;
import dev.cowrie.http.Call;
import dev.cowrie.http.Reply;
import dev.cowrie.http.Routes;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** {@code /v1/payment_links}: a merchant's links (create, list, get, change, deactivate) and their printable QR codes. */
public final class PaymentLinkRoutes implements Routes {
  static final int DESCRIPTION_CHARS_MAX = 1000;
  private static final Set<String> FIELDS = Set.of("amount", "amount_min", "amount_max", "currency", "description",
      "return_url", "active");
  private final long timeoutMs;
  private final long amountMax;

  public PaymentLinkRoutes(CowrieConfig config) {
    this.timeoutMs = config.number("bus", "request_timeout_ms");
    this.amountMax = config.number("checkout", "link_amount_max");
  }

  @Override
  public void mount(Api api) {
    api.postRecorded("/v1/payment_links", Access.SECRET, call ->
        send(api, CheckoutAddresses.CREATE_LINK, call.command(createCommand(call))).map(Reply::created));
    api.get("/v1/payment_links", Access.SECRET, call -> {
      String active = call.query("active");
      if (active != null && !active.equals("true") && !active.equals("false")) {
        throw CowrieError.invalid("active", "active must be true or false.");
      }
      return send(api, CheckoutAddresses.LIST_LINKS, call.command(new JsonObject()
          .put("active", active == null ? null : Boolean.valueOf(active)).put("page", call.page().toJson()))).map(Reply::ok);
    });
    api.get("/v1/payment_links/:id", Access.SECRET, call -> link(api, call).map(Reply::ok));
    api.patch("/v1/payment_links/:id", Access.SECRET, call -> {
      JsonObject body = call.body();
      Input.onlyKnown(body, Set.of("active", "description"));
      if (body.isEmpty()) {
        throw CowrieError.invalid("active", "Send active, description or both.");
      }
      return update(api, call, Input.optionalBoolean(body, "active"), Input.optionalString(body, "description", DESCRIPTION_CHARS_MAX));
    });
    api.post("/v1/payment_links/:id/deactivate", Access.SECRET, call -> update(api, call, false, null));
    api.get("/v1/payment_links/:id/qr.png", Access.SECRET, call -> link(api, call)
        .map(link -> Reply.raw(200, "image/png", Buffer.buffer(QrCodes.png(link.getString("url"))))));
    api.get("/v1/payment_links/:id/qr.svg", Access.SECRET, call -> link(api, call)
        .map(link -> Reply.raw(200, "image/svg+xml", Buffer.buffer(QrCodes.svg(link.getString("url"))))));
  }

  private Future<JsonObject> link(Api api, Call call) {
    return send(api, CheckoutAddresses.GET_LINK, call.command(new JsonObject().put("id", call.path("id"))));
  }

  private Future<Reply> update(Api api, Call call, Boolean active, String description) {
    return send(api, CheckoutAddresses.UPDATE_LINK, call.command(new JsonObject().put("id", call.path("id"))
        .put("active", active).put("description", description))).map(Reply::ok);
  }

  /** A fixed amount, or bounds the customer chooses within (amount_min ≤ amount_max ≤ checkout.link_amount_max). */
  private JsonObject createCommand(Call call) {
    JsonObject body = call.body();
    Input.onlyKnown(body, FIELDS);
    String currency = Input.currency(body, "currency");
    Long amount = Input.optionalAmount(body, "amount");
    Long min = Input.optionalAmount(body, "amount_min");
    Long max = Input.optionalAmount(body, "amount_max");
    if (amount != null && (min != null || max != null)) {
      throw CowrieError.invalid(min != null ? "amount_min" : "amount_max",
          "Send either amount (a fixed price) or amount_min and amount_max (the customer chooses), not both.");
    }
    if (amount == null && (min == null || max == null)) {
      throw new CowrieError(ErrorCode.PARAMETER_MISSING, "Send amount (a fixed price) or both amount_min and amount_max "
          + "(the customer chooses within them).", min == null && max == null ? "amount" : min == null ? "amount_min" : "amount_max");
    }
    if (min != null && min > max) {
      throw new CowrieError(ErrorCode.INVALID_AMOUNT, "amount_min must not be greater than amount_max.", "amount_min");
    }
    long highest = amount != null ? amount : max;
    if (highest > amountMax) {
      throw new CowrieError(ErrorCode.INVALID_AMOUNT, (amount != null ? "amount" : "amount_max") + " must be at most "
          + amountMax + " (" + new Money(amountMax, currency) + ").", amount != null ? "amount" : "amount_max");
    }
    Boolean active = Input.optionalBoolean(body, "active");
    return new JsonObject().put("currency", currency).put("amount", amount).put("amount_min", min).put("amount_max", max)
        .put("description", Input.optionalString(body, "description", DESCRIPTION_CHARS_MAX))
        .put("return_url", Input.optionalHttpUrl(body, "return_url"))
        .put("active", active == null || active)
        .put("idempotency_key", call.header("Idempotency-Key"));
  }

  private Future<JsonObject> send(Api api, String address, JsonObject command) {
    return Bus.request(api.vertx(), address, command, timeoutMs);
  }
}
