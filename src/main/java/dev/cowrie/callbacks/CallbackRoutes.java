package dev.cowrie.callbacks;

import dev.cowrie.common.Bus;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.config.Timeouts;
import dev.cowrie.http.Access;
import dev.cowrie.http.Api;
import dev.cowrie.http.Reply;
import dev.cowrie.http.Routes;
import dev.cowrie.payments.PaymentAddresses;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code POST /v1/callbacks/{conn_id}}: unauthenticated; the raw bytes go to the verifier untouched.
 * {@code GET /v1/payments/{id}/provider_events}: the callbacks one payment received.
 */
public final class CallbackRoutes implements Routes {
  private final long timeoutMs;
  private final long readTimeoutMs;

  public CallbackRoutes(CowrieConfig config) {
    this.timeoutMs = Timeouts.of(config).callbackMs();
    this.readTimeoutMs = config.bus().requestTimeoutMs();
  }

  @Override
  public void mount(Api api) {
    api.post("/v1/callbacks/:conn_id", Access.NONE, call -> {
      Map<String, String> headers = new HashMap<>();
      call.ctx().request().headers().forEach(header -> headers.put(header.getKey(), header.getValue()));
      byte[] body = call.ctx().body() == null || call.ctx().body().buffer() == null ? new byte[0] : call.ctx().body().buffer().getBytes();
      CallbackDelivery delivery = new CallbackDelivery(call.path("conn_id"), headers, body);
      return Bus.<JsonObject>request(api.vertx(), CallbackAddresses.RECEIVE, delivery.toJson(), timeoutMs).map(Reply::ok);
    });
    // The payment's owner answers first, so an unknown or foreign payment is a 404 rather than an empty list.
    api.get("/v1/payments/:id/provider_events", Access.SECRET, call -> Bus.<JsonObject>request(api.vertx(), PaymentAddresses.GET,
            call.command(new JsonObject().put("id", call.path("id"))), readTimeoutMs)
        .compose(payment -> Bus.<JsonObject>request(api.vertx(), CallbackAddresses.OF_PAYMENT,
            call.command(new JsonObject().put("payment", payment.getString("id"))), readTimeoutMs))
        .map(Reply::ok));
  }
}
