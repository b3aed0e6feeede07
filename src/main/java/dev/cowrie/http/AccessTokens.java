package dev.cowrie.http;

import dev.cowrie.security.Principal;
import io.vertx.core.Future;

/** Verifies a signed access token (a JWT) into the caller it names; auth implements it, Cowrie wires it in. */
public interface AccessTokens {
  Future<Principal> verify(String token);
}
