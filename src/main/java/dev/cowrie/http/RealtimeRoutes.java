package dev.cowrie.http;

import dev.cowrie.common.Input;
import java.util.Set;

/** {@code POST /v1/realtime/tickets}: a single-use ticket a browser puts in a socket's URL instead of its token. */
final class RealtimeRoutes implements HttpVerticle.Routes {
  @Override
  public void mount(Api api) {
    api.post("/v1/realtime/tickets", Access.ANY_AUTHENTICATED, call -> {
      Input.onlyKnown(call.body(), Set.of());
      return api.authenticator().tickets().issue(Authenticator.credential(call.header("Authorization"))).map(Reply::created);
    });
  }
}
