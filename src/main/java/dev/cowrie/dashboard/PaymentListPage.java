package dev.cowrie.dashboard;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Money;
import dev.cowrie.http.PageCall;
import dev.cowrie.http.Reply;
import dev.cowrie.payments.PaymentAddresses;
import dev.cowrie.payments.PaymentFilter;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Payments page and its CSV: a GET form whose values stay in the URL, turned into the
 * filters of {@code GET /v1/payments} ({@link PaymentFilter}, validated there). For people, dates
 * are UTC days (both ends included) and amounts are major units of the chosen currency.
 */
final class PaymentListPage {
  static final List<String> FIELDS = List.of("search", "status", "provider", "currency", "since", "until", "amount_min",
      "amount_max", "customer_email", "reference");
  private static final int CSV_ROWS_MAX = 100;
  private static final int PAGE_ROWS = 20;

  private final Dashboard dashboard;
  private final Set<String> providers;

  PaymentListPage(Dashboard dashboard, Set<String> providers) {
    this.dashboard = dashboard;
    this.providers = providers;
  }

  Future<Reply> page(PageCall call) {
    Map<String, String> values = values(call);
    String after = values.remove("starting_after");
    Map<String, Object> params = new HashMap<>();
    params.put("values", values);
    params.put("providers", providers.stream().sorted().toList());
    params.put("query", query(values));
    params.put("error", "");
    params.put("errorField", "");
    return list(call, values, PAGE_ROWS, after).map(list -> {
      params.put("payments", PaymentRows.of(call, list));
      params.put("next", list.getBoolean("has_more") ? PaymentRows.lastId(list) : "");
      return call.view("dashboard/payments.jte", Dashboard.frame(call, "payments", "Payments", params));
    }).recover(failure -> {
      params.putAll(Dashboard.error(failure));
      params.put("payments", List.of());
      params.put("next", "");
      return Future.succeededFuture(call.view(400, "dashboard/payments.jte", Dashboard.frame(call, "payments", "Payments", params)));
    });
  }

  Future<Reply> csv(PageCall call) {
    return list(call, values(call), CSV_ROWS_MAX, null)
        .map(list -> Reply.raw(200, "text/csv; charset=utf-8", Buffer.buffer(PaymentRows.csv(list)))
            .withHeaders(Map.of("Content-Disposition", "attachment; filename=\"payments.csv\"")));
  }

  private Future<JsonObject> list(PageCall call, Map<String, String> values, int limit, String after) {
    PaymentFilter filter;
    try {
      filter = PaymentFilter.parse(apiParams(values)::get, providers);
    } catch (CowrieError refused) {
      return Future.failedFuture(refused);
    }
    return dashboard.as(call, HttpMethod.GET, "/v1/payments", PaymentAddresses.LIST, new JsonObject()
        .put("filter", filter.toJson()).put("page", new JsonObject().put("limit", limit).put("starting_after", after)));
  }

  private static Map<String, String> values(PageCall call) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String field : FIELDS) {
      String value = call.query(field);
      values.put(field, value == null ? "" : value.strip());
    }
    String after = call.query("starting_after");
    values.put("starting_after", after == null || after.isBlank() ? null : after);
    return values;
  }

  /** The page's values as the API's parameters: days become UTC instants, major units minor ones. */
  static Map<String, String> apiParams(Map<String, String> values) {
    Map<String, String> api = new HashMap<>(values);
    api.put("since", day(values.get("since"), "since", 0));
    api.put("until", day(values.get("until"), "until", 1));
    String currency = values.get("currency");
    api.put("amount_min", minor(values.get("amount_min"), currency, "amount_min"));
    api.put("amount_max", minor(values.get("amount_max"), currency, "amount_max"));
    return api;
  }

  private static String day(String value, String field, int plusDays) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return LocalDate.parse(value).plusDays(plusDays).atStartOfDay().atOffset(ZoneOffset.UTC).toString();
    } catch (DateTimeParseException e) {
      throw CowrieError.invalid(field, "Enter a day like 2026-11-30.");
    }
  }

  private static String minor(String value, String currency, String field) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    if (currency == null || !Money.isCurrency(currency)) {
      throw CowrieError.invalid(field, "Choose a currency to filter by amount.");
    }
    try {
      return String.valueOf(Money.ofMajor(new BigDecimal(value.replace(",", "")), currency).amount());
    } catch (ArithmeticException | IllegalArgumentException e) {
      throw CowrieError.invalid(field, "Enter an amount like 250 or 250.50 in " + currency + ".");
    }
  }

  /** The filters as a URL query (for the next page and the CSV link), empty values left out. */
  static String query(Map<String, String> values) {
    return values.entrySet().stream().filter(entry -> entry.getValue() != null && !entry.getValue().isEmpty())
        .map(entry -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
