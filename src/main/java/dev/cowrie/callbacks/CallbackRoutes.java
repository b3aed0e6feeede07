package dev.cowrie.callbacks;

import dev.cowrie.common.Bus;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.config.Timeouts;
import dev.cowrie.http.Access;
import dev.cowrie.http.Api;
import dev.cowrie.http.Reply;
import dev.cowrie.http.Routes;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/** {@code POST /v1/callbacks/{conn_id}}: unauthenticated; the raw bytes go to the verifier untouched. */
public final class CallbackRoutes implements Routes {
  private final long timeoutMs;

  public CallbackRoutes(CowrieConfig config) {
    this.timeoutMs = Timeouts.of(config).callbackMs();
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
  }
}
