package dev.cowrie.wallets;

import dev.cowrie.common.Money;
import dev.cowrie.security.Principal;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The command of {@link WalletsAddresses#TOPUP} (from the API and the wallet pages): the signed-in
 * wallet user pays {@code amount} in through a provider ({@code provider} null: any eligible one).
 * Its answer is the top-up's payment as the API renders it.
 */
public record TopupCreate(Principal user, String requestId, long amount, String currency, String provider,
    String idempotencyKey) {

  public TopupCreate {
    Objects.requireNonNull(user, "user");
    new Money(amount, currency); // throws for a negative amount or an unknown currency
    if (amount == 0) {
      throw new IllegalArgumentException("a top-up of nothing");
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("principal", user.toJson()).put("request_id", requestId).put("amount", amount)
        .put("currency", currency).put("provider", provider).put("idempotency_key", idempotencyKey);
  }

  public static TopupCreate fromJson(JsonObject json) {
    return new TopupCreate(Principal.fromJson(json.getJsonObject("principal")), json.getString("request_id"),
        json.getLong("amount"), json.getString("currency"), json.getString("provider"), json.getString("idempotency_key"));
  }
}
