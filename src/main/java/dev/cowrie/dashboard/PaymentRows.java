package dev.cowrie.dashboard;

import dev.cowrie.http.PageCall;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Payments as the dashboard lists them: one row per payment, and the same rows as CSV. */
public record PaymentRows(String id, String status, String amount, String refunded, String provider, String reference,
    String email, String createdAt) {

  static List<PaymentRows> of(PageCall call, JsonObject list) {
    return Dashboard.objects(list.getJsonArray("data")).stream().map(payment -> new PaymentRows(payment.getString("id"),
        payment.getString("status"), Dashboard.money(payment, "amount", call), Dashboard.money(payment, "amount_refunded", call),
        payment.getString("provider", ""), payment.getString("reference", ""), email(payment), payment.getString("created_at", "")))
        .toList();
  }

  static String lastId(JsonObject list) {
    var data = list.getJsonArray("data");
    return data.isEmpty() ? "" : data.getJsonObject(data.size() - 1).getString("id");
  }

  private static String email(JsonObject payment) {
    JsonObject customer = payment.getJsonObject("customer");
    return customer == null ? "" : customer.getString("email", "");
  }

  /** RFC 4180 CSV in minor units (what a spreadsheet sums without rounding); a cell a spreadsheet would run as a formula is quoted with a leading apostrophe. */
  static String csv(JsonObject list) {
    StringBuilder out = new StringBuilder("id,status,amount,currency,amount_refunded,provider,reference,customer_email,created_at\r\n");
    for (JsonObject payment : Dashboard.objects(list.getJsonArray("data"))) {
      out.append(String.join(",", cell(payment.getString("id")), cell(payment.getString("status")),
          cell(String.valueOf(payment.getLong("amount"))), cell(payment.getString("currency")),
          cell(String.valueOf(payment.getLong("amount_refunded", 0L))), cell(payment.getString("provider")),
          cell(payment.getString("reference")), cell(email(payment)), cell(payment.getString("created_at")))).append("\r\n");
    }
    return out.toString();
  }

  private static String cell(String value) {
    if (value == null) {
      return "";
    }
    String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    return safe.matches(".*[\",\r\n].*") || !safe.equals(value) ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
  }
}
