package dev.cowrie.http;

import dev.cowrie.common.Input;
import java.util.Set;

/** {@code POST /v1/realtime/tickets}: a single-use ticket a browser puts in a socket's URL instead of its token. */
public final class RealtimeRoutes implements Routes {
  @Override
  public void mount(Api api) {
    api.post("/v1/realtime/tickets", Access.ANY_AUTHENTICATED, call -> {
      Input.onlyKnown(call.body(), Set.of());
      return api.authenticator().tickets().issue(Authenticator.credential(call.header("Authorization"))).map(Reply::created);
    });
  }
}
