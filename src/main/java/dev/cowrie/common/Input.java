package dev.cowrie.common;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.util.regex.Pattern;

/** Validation of request fields, each failure naming the field and what is wrong with it. */
public final class Input {
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");

  private Input() {}

  public static String string(JsonObject body, String field, int maxLength) {
    String value = optionalString(body, field, maxLength);
    if (value == null || value.isBlank()) {
      throw CowrieError.missing(field);
    }
    return value;
  }

  /** An absolute http(s) URL (at most 2 KiB), without a trailing slash, or null when absent. */
  public static String optionalHttpUrl(JsonObject body, String field) {
    String value = optionalString(body, field, 2048);
    if (value == null) {
      return null;
    }
    try {
      URI uri = URI.create(value);
      if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      throw CowrieError.invalid(field, field + " must be an absolute http(s) URL.");
    }
    return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
  }

  public static String optionalString(JsonObject body, String field, int maxLength) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw CowrieError.invalid(field, field + " must be a string.");
    }
    if (text.length() > maxLength) {
      throw CowrieError.invalid(field, field + " must be at most " + maxLength + " characters.");
    }
    return text;
  }

  public static String email(JsonObject body, String field) {
    String value = string(body, field, 320);
    if (!EMAIL.matcher(value).matches()) {
      throw CowrieError.invalid(field, field + " must be an email address.");
    }
    return value;
  }

  /** A positive integer amount in minor units; floats, strings and overflow are refused. */
  public static long amount(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      throw new CowrieError(ErrorCode.INVALID_AMOUNT, field + " is required: an integer in the currency's minor unit.", field);
    }
    return amountValue(value, field);
  }

  public static Long optionalAmount(JsonObject body, String field) {
    Object value = body.getValue(field);
    return value == null ? null : amountValue(value, field);
  }

  private static long amountValue(Object value, String field) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      long amount = ((Number) value).longValue();
      if (amount <= 0) {
        throw new CowrieError(ErrorCode.INVALID_AMOUNT, field + " must be greater than zero.", field);
      }
      if (amount > Money.AMOUNT_MAX) {
        throw new CowrieError(ErrorCode.INVALID_AMOUNT, field + " must be at most " + Money.AMOUNT_MAX + ".", field);
      }
      return amount;
    }
    if (value instanceof BigInteger || value instanceof BigDecimal && ((BigDecimal) value).scale() <= 0) {
      throw new CowrieError(ErrorCode.INVALID_AMOUNT, field + " must be at most " + Money.AMOUNT_MAX + ".", field);
    }
    if (value instanceof Number) {
      throw new CowrieError(ErrorCode.INVALID_AMOUNT,
          field + " must be an integer in the currency's minor unit (e.g. 1050 for 10.50), not a decimal.", field);
    }
    throw new CowrieError(ErrorCode.INVALID_AMOUNT, field + " must be an integer, not a " + typeName(value) + ".", field);
  }

  public static String currency(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (!(value instanceof String code) || !Money.isCurrency(code)) {
      throw new CowrieError(ErrorCode.INVALID_CURRENCY,
          field + " must be an ISO 4217 currency code in upper case, such as NGN or USD.", field);
    }
    return code;
  }

  public static Integer optionalInteger(JsonObject body, String field, int min, int max) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Integer number) || number < min || number > max) {
      throw CowrieError.invalid(field, field + " must be an integer from " + min + " to " + max + ".");
    }
    return number;
  }

  public static Boolean optionalBoolean(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Boolean flag)) {
      throw CowrieError.invalid(field, field + " must be true or false.");
    }
    return flag;
  }

  public static JsonObject optionalObject(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject object)) {
      throw CowrieError.invalid(field, field + " must be an object.");
    }
    return object;
  }

  public static JsonArray optionalArray(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array)) {
      throw CowrieError.invalid(field, field + " must be an array.");
    }
    return array;
  }

  /** Rejects fields the endpoint does not know, so a typo is an error rather than silently ignored. */
  public static void onlyKnown(JsonObject body, java.util.Set<String> known) {
    for (String field : body.fieldNames()) {
      if (!known.contains(field)) {
        throw CowrieError.invalid(field, "Received unknown parameter: " + field + ".");
      }
    }
  }

  private static String typeName(Object value) {
    if (value instanceof String) {
      return "string";
    }
    if (value instanceof Boolean) {
      return "boolean";
    }
    if (value instanceof JsonObject) {
      return "object";
    }
    if (value instanceof JsonArray) {
      return "array";
    }
    return value.getClass().getSimpleName();
  }
}
