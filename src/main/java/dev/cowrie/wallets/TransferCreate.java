package dev.cowrie.wallets;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Input;
import dev.cowrie.common.Money;
import dev.cowrie.http.RequestRecord;
import dev.cowrie.security.Principal;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The command of {@link WalletsAddresses#TRANSFER}, from the API, the wallet pages, chat's paying
 * messages and payment requests paid from a wallet. Its answer is the transfer as the API renders
 * it. {@code request} is what an HTTP route records beside the change ({@code Call#command} adds it
 * on the way); without one, a repeated {@code idempotencyKey} is looked up first.
 */
public record TransferCreate(Principal principal, String requestId, RequestRecord request, Fields fields, String idempotencyKey) {

  /** What a person asks to send (API.md "Wallets and transfers"); {@code pin} is needed above their pin_limit. */
  public record Fields(String to, long amount, String currency, String note, String pin) {
    public static final int NOTE_CHARS_MAX = 500;

    public Fields {
      Objects.requireNonNull(to, "to");
      new Money(amount, currency); // throws for a negative amount or an unknown currency
      if (amount == 0) {
        throw new IllegalArgumentException("a transfer of nothing");
      }
    }

    /** The fields of a request body, validated (a bad one is the caller's error, never a 500). */
    public static Fields from(JsonObject body) {
      return new Fields(Input.string(body, "to", 100), Input.amount(body, "amount"), Input.currency(body, "currency"),
          Input.optionalString(body, "note", NOTE_CHARS_MAX), pin(body));
    }

    /** The payment PIN a paying call may carry (needed above the user's pin_limit). */
    public static String pin(JsonObject body) {
      String pin = Input.optionalString(body, "pin", 6);
      if (pin != null && !pin.matches("[0-9]{4,6}")) {
        throw CowrieError.invalid("pin", "pin must be 4 to 6 digits.");
      }
      return pin;
    }

    /** Written into (and read back from) a command that carries them, such as chat's paying message. */
    public JsonObject toJson() {
      return new JsonObject().put("to", to).put("amount", amount).put("currency", currency).put("note", note).put("pin", pin);
    }

    public static Fields fromJson(JsonObject json) {
      return new Fields(json.getString("to"), json.getLong("amount"), json.getString("currency"), json.getString("note"),
          json.getString("pin"));
    }
  }

  public TransferCreate {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(fields, "fields");
    request = request == null ? new RequestRecord(null, null) : request;
  }

  /** A transfer sent by a worker of the gateway for {@code sender} (chat, payment requests): no request record. */
  public static TransferCreate of(Principal sender, Fields fields, String idempotencyKey) {
    return new TransferCreate(sender, null, null, fields, idempotencyKey);
  }

  /** Without the request record: {@code Call#command} adds it on the HTTP path. */
  public JsonObject toJson() {
    return fields.toJson().put("principal", principal.toJson()).put("request_id", requestId)
        .put("idempotency_key", idempotencyKey);
  }

  public static TransferCreate fromJson(JsonObject json) {
    return new TransferCreate(Principal.fromJson(json.getJsonObject("principal")), json.getString("request_id"),
        RequestRecord.of(json), Fields.fromJson(json), json.getString("idempotency_key"));
  }
}
