package dev.cowrie.requests;

import dev.cowrie.common.Money;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The bodies inside signed messages. A request body is
 * {@code ref(10) amount(varint) currency(2) expiry(varint minutes since 2024) description(len+utf8) accept*};
 * an accept is one byte {@code method << 4 | format} then the address: format 0 text, 1 base58check
 * (21 bytes), 2/3 segwit on bc/tb (one byte version, 0x20 = 20-byte and 0x40 = 32-byte program,
 * else a length follows). A confirmation body is
 * {@code ref(10) nonce(8) paid(varint) currency(2) issued(varint seconds since 2024) payer proof}.
 */
final class Payloads {
  static final long EPOCH_SECONDS = Instant.parse("2024-01-01T00:00:00Z").getEpochSecond();
  static final int DESCRIPTION_BYTES_MAX = 200;
  static final int ADDRESS_BYTES_MAX = 200;
  static final int ACCEPTS_MAX = 8;
  private static final List<String> METHODS = List.of("", "BTC", "ETH", "USDT", "LTC", "LN", "BANK", "MOBILE_MONEY");
  private static final int CUSTOM_METHOD = 15;

  private Payloads() {}

  record Accept(String method, String address) {
    JsonObject toJson() {
      return new JsonObject().put("method", method).put("address", address);
    }
  }

  record Request(byte[] ref, long amount, String currency, long expiresAtSeconds, String description, List<Accept> accepts) {
    JsonObject toJson() {
      JsonArray list = new JsonArray();
      accepts.forEach(accept -> list.add(accept.toJson()));
      return new JsonObject().put("ref", HexFormat.of().formatHex(ref)).put("amount", amount).put("currency", currency)
          .put("expires_at", Instant.ofEpochSecond(expiresAtSeconds).toString())
          .put("description", description).put("accepts", list);
    }
  }

  record Confirmation(byte[] ref, byte[] nonce, long paidAmount, String currency, long issuedAtSeconds, String payer, String proof) {
    JsonObject toJson() {
      return new JsonObject().put("ref", HexFormat.of().formatHex(ref)).put("nonce", HexFormat.of().formatHex(nonce))
          .put("paid_amount", paidAmount).put("currency", currency)
          .put("issued_at", Instant.ofEpochSecond(issuedAtSeconds).toString()).put("payer", payer).put("proof", proof);
    }
  }

  /** Expiry travels in whole minutes, so callers store the rounded-down instant this answers. */
  static long roundExpiry(long epochSeconds) {
    return epochSeconds - Math.floorMod(epochSeconds - EPOCH_SECONDS, 60);
  }

  static byte[] write(Request request) {
    Bytes.Writer out = new Bytes.Writer().raw(request.ref()).varint(request.amount()).code3(request.currency())
        .varint((request.expiresAtSeconds() - EPOCH_SECONDS) / 60).string(request.description());
    request.accepts().forEach(accept -> writeAccept(out, accept));
    return out.bytes();
  }

  static Request readRequest(byte[] body) throws BadMessage {
    Bytes.Reader in = new Bytes.Reader(body);
    byte[] ref = in.raw(10);
    long amount = amountOf(in.varint());
    String currency = currencyOf(in.code3());
    long expires = EPOCH_SECONDS + 60 * Math.min(in.varint(), 1L << 32);
    String description = in.string(DESCRIPTION_BYTES_MAX);
    List<Accept> accepts = new ArrayList<>();
    while (!in.done()) {
      if (accepts.size() == ACCEPTS_MAX) {
        throw new BadMessage("malformed", "The message lists too many payment methods.");
      }
      accepts.add(readAccept(in));
    }
    return new Request(ref, amount, currency, expires, description, accepts);
  }

  static byte[] write(Confirmation confirmation) {
    return new Bytes.Writer().raw(confirmation.ref()).raw(confirmation.nonce()).varint(confirmation.paidAmount())
        .code3(confirmation.currency()).varint(confirmation.issuedAtSeconds() - EPOCH_SECONDS)
        .string(confirmation.payer()).string(confirmation.proof()).bytes();
  }

  static Confirmation readConfirmation(byte[] body) throws BadMessage {
    Bytes.Reader in = new Bytes.Reader(body);
    Confirmation confirmation = new Confirmation(in.raw(10), in.raw(8), amountOf(in.varint()), currencyOf(in.code3()),
        EPOCH_SECONDS + Math.min(in.varint(), 1L << 40), in.string(100), in.string(ADDRESS_BYTES_MAX));
    if (!in.done()) {
      throw new BadMessage("malformed", "The message has bytes after its end.");
    }
    return confirmation;
  }

  private static long amountOf(long amount) throws BadMessage {
    if (amount <= 0 || amount > Money.AMOUNT_MAX) {
      throw new BadMessage("malformed", "The amount in the message is out of range.");
    }
    return amount;
  }

  private static String currencyOf(String code) throws BadMessage {
    if (!Money.isCurrency(code)) {
      throw new BadMessage("malformed", "The message names an unknown currency.");
    }
    return code;
  }

  private static void writeAccept(Bytes.Writer out, Accept accept) {
    int method = METHODS.indexOf(accept.method());
    byte[] base58 = "BTC".equals(accept.method()) ? Addresses.fromBase58Check(accept.address()) : null;
    Addresses.Segwit segwit = "BTC".equals(accept.method()) && base58 == null ? Addresses.fromSegwit(accept.address()) : null;
    int format = base58 != null ? 1 : segwit == null ? 0 : segwit.hrp().equals("bc") ? 2 : 3;
    out.u8((method > 0 ? method : CUSTOM_METHOD) << 4 | format);
    if (method <= 0) {
      out.string(accept.method());
    }
    if (base58 != null) {
      out.raw(base58);
    } else if (segwit != null) {
      int length = segwit.program().length;
      out.u8(segwit.version() | (length == 20 ? 0x20 : length == 32 ? 0x40 : 0));
      if (length != 20 && length != 32) {
        out.varint(length);
      }
      out.raw(segwit.program());
    } else {
      out.string(accept.address());
    }
  }

  private static Accept readAccept(Bytes.Reader in) throws BadMessage {
    int head = in.u8();
    int methodCode = head >>> 4;
    int format = head & 15;
    String method = methodCode == CUSTOM_METHOD ? in.string(32)
        : methodCode > 0 && methodCode < METHODS.size() ? METHODS.get(methodCode) : null;
    if (method == null || method.isEmpty()) {
      throw new BadMessage("malformed", "Unknown payment method code " + methodCode + ".");
    }
    String address = switch (format) {
      case 0 -> in.string(ADDRESS_BYTES_MAX);
      case 1 -> Addresses.toBase58Check(in.raw(21));
      case 2, 3 -> {
        int flags = in.u8();
        int length = (flags & 0x20) != 0 ? 20 : (flags & 0x40) != 0 ? 32 : (int) Math.min(in.varint(), 41);
        if ((flags & 0x1f) > 16 || (flags & 0x80) != 0 || length < 2 || length > 40) {
          throw new BadMessage("malformed", "The segwit address in the message is invalid.");
        }
        yield Addresses.toSegwit(new Addresses.Segwit(format == 2 ? "bc" : "tb", flags & 0x1f, in.raw(length)));
      }
      default -> throw new BadMessage("malformed", "Unknown address format " + format + ".");
    };
    return new Accept(method, address);
  }
}
