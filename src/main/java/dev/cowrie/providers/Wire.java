package dev.cowrie.providers;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Money;
import dev.cowrie.common.Secrets;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Small pieces every HTTP adapter needs: headers, form encoding, credential checks, lenient amounts, HMACs. */
public final class Wire {
  private Wire() {}

  public static Map<String, String> bearer(String secret, String contentType) {
    Map<String, String> headers = new HashMap<>();
    headers.put("Authorization", "Bearer " + secret);
    headers.put("Accept", "application/json");
    if (contentType != null) {
      headers.put("Content-Type", contentType);
    }
    return headers;
  }

  /** {@code application/x-www-form-urlencoded} in the given order; null values are left out. */
  public static Buffer form(Map<String, String> fields) {
    StringBuilder out = new StringBuilder();
    fields.forEach((name, value) -> {
      if (value != null) {
        out.append(out.length() == 0 ? "" : "&").append(URLEncoder.encode(name, StandardCharsets.UTF_8))
            .append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
      }
    });
    return Buffer.buffer(out.toString());
  }

  public static Map<String, String> fields() {
    return new LinkedHashMap<>();
  }

  /** One path segment, percent-encoded. */
  public static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * Checks a connection's credentials: exactly the named fields, each a string matching its pattern.
   * The messages say what the provider's dashboard calls the value, so a merchant can fix it.
   */
  public static JsonObject credentials(String provider, JsonObject given, Map<String, Pattern> required, Map<String, String> hints) {
    for (String field : given.fieldNames()) {
      if (!required.containsKey(field)) {
        throw CowrieError.invalid("credentials." + field, provider + " takes only credentials."
            + String.join(", credentials.", required.keySet()) + ".");
      }
    }
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Pattern> entry : required.entrySet()) {
      Object value = given.getValue(entry.getKey());
      if (value == null) {
        throw CowrieError.missing("credentials." + entry.getKey());
      }
      if (!(value instanceof String text) || text.length() > 500 || !entry.getValue().matcher(text).matches()) {
        throw CowrieError.invalid("credentials." + entry.getKey(), "credentials." + entry.getKey() + " must be "
            + hints.get(entry.getKey()) + ".");
      }
      out.put(entry.getKey(), text);
    }
    return out;
  }

  /**
   * The mode a secret key shows by its prefix: {@code "test"} for one of {@code testPrefixes},
   * {@code "live"} for one of {@code livePrefixes}, empty otherwise.
   */
  public static java.util.Optional<String> keyMode(String key, List<String> testPrefixes, List<String> livePrefixes) {
    if (key == null) {
      return java.util.Optional.empty();
    }
    if (testPrefixes.stream().anyMatch(key::startsWith)) {
      return java.util.Optional.of("test");
    }
    return livePrefixes.stream().anyMatch(key::startsWith) ? java.util.Optional.of("live") : java.util.Optional.empty();
  }

  /** A decimal from a JSON number or numeric string, read through its decimal text (never float arithmetic). */
  public static BigDecimal decimal(Object value, String what) {
    try {
      if (value instanceof String text) {
        return new BigDecimal(text.trim());
      }
      if (value instanceof Integer || value instanceof Long) {
        return BigDecimal.valueOf(((Number) value).longValue());
      }
      if (value instanceof Number number) {
        return new BigDecimal(number.toString());
      }
    } catch (NumberFormatException e) {
      throw new MalformedAnswer(what + " is not a number: " + value);
    }
    throw new MalformedAnswer("missing " + what);
  }

  /** Minor units from a provider's major-unit amount; an amount finer than the currency allows is malformed. */
  public static long minorFromMajor(Object value, String currency, String what) {
    try {
      return Money.ofMajor(decimal(value, what), currency).amount();
    } catch (ArithmeticException | IllegalArgumentException e) {
      throw new MalformedAnswer(what + " " + value + " is not an amount of " + currency);
    }
  }

  /** Minor units from an integer amount sent as a number or a string (Paystack does both). */
  public static Long lenientLong(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return decimal(value, "amount").longValueExact();
    } catch (ArithmeticException e) {
      throw new MalformedAnswer("amount is not whole: " + value);
    }
  }

  public static String hmacHex(String algorithm, String key, byte[] message) {
    return Secrets.hex(Secrets.hmac(algorithm, key.getBytes(StandardCharsets.UTF_8), message));
  }

  /** True when any candidate equals the expected value, each compared in constant time. */
  public static boolean anyMatches(String expected, List<String> candidates) {
    boolean matched = false;
    for (String candidate : candidates) {
      matched |= Secrets.constantTimeEquals(expected, candidate);
    }
    return matched;
  }

  public static String upper(String currency) {
    return currency == null ? null : currency.toUpperCase(java.util.Locale.ROOT);
  }

  /** The {@code data} of a {@code {status:"success", message, data}} envelope (Flutterwave, Chapa), or malformed. */
  public static JsonObject successData(JsonObject envelope) {
    if (!"success".equals(envelope.getValue("status"))) {
      throw new MalformedAnswer("status is not success: " + envelope.getValue("message"));
    }
    return MalformedAnswer.require(envelope.getJsonObject("data"), "data");
  }

  /** Minor units of an object's major-unit {@code amount} in its {@code currency}; null when either is absent. */
  public static Long minorAmount(JsonObject object, String what) {
    String currency = upper(object.getString("currency"));
    return object.getValue("amount") == null || currency == null ? null : minorFromMajor(object.getValue("amount"), currency, what);
  }
}
