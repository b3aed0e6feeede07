package dev.cowrie.recurring;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Input;
import dev.cowrie.common.Money;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.config.Timeouts;
import dev.cowrie.http.Access;
import dev.cowrie.http.Api;
import dev.cowrie.http.Call;
import dev.cowrie.http.Reply;
import dev.cowrie.http.Routes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import dev.cowrie.common.Periods;

/** Customers, prices, subscriptions, invoices, test clocks and billing settings over HTTP: validation here, work in RecurringVerticle. */
public final class RecurringRoutes implements Routes {
  private static final Set<String> CUSTOMER_FIELDS = Set.of("email", "name", "test_clock", "metadata");
  private static final Set<String> PRICE_FIELDS = Set.of("amount", "currency", "interval", "interval_count", "trial_days", "nickname",
      "metadata");
  private static final Set<String> SUBSCRIPTION_FIELDS = Set.of("customer", "price", "test_clock", "currency", "trial_days",
      "cancel_at_period_end", "metadata");
  private final long timeoutMs;
  private final long chargeTimeoutMs;

  public RecurringRoutes(CowrieConfig config) {
    Timeouts timeouts = Timeouts.of(config);
    this.timeoutMs = timeouts.commandMs();
    this.chargeTimeoutMs = 2 * timeouts.creationMs() + 2 * timeouts.commandMs();
  }

  @Override
  public void mount(Api api) {
    api.post("/v1/customers", Access.SECRET, call -> created(api, RecurringAddresses.CUSTOMER_CREATE, customer(call)));
    api.get("/v1/customers", Access.SECRET, call -> ok(api, RecurringAddresses.CUSTOMER_LIST, listed(call)));
    api.get("/v1/customers/:id", Access.SECRET, call -> ok(api, RecurringAddresses.CUSTOMER_GET, byId(call)));
    api.post("/v1/prices", Access.SECRET, call -> created(api, RecurringAddresses.PRICE_CREATE, price(call)));
    api.get("/v1/prices", Access.SECRET, call -> ok(api, RecurringAddresses.PRICE_LIST, listed(call)));
    api.get("/v1/prices/:id", Access.SECRET, call -> ok(api, RecurringAddresses.PRICE_GET, byId(call)));
    api.post("/v1/prices/:id/archive", Access.SECRET, call -> ok(api, RecurringAddresses.PRICE_ARCHIVE, byId(call)));
    api.post("/v1/subscriptions", Access.SECRET, call -> Bus.<JsonObject>request(api.vertx(), RecurringAddresses.SUBSCRIPTION_CREATE,
        subscription(call), chargeTimeoutMs).map(Reply::created));
    api.get("/v1/subscriptions", Access.SECRET, call -> ok(api, RecurringAddresses.SUBSCRIPTION_LIST, listed(call)
        .put("customer", call.query("customer")).put("status", status(call, Subscriptions.STATUSES))));
    api.get("/v1/subscriptions/:id", Access.SECRET, call -> ok(api, RecurringAddresses.SUBSCRIPTION_GET, byId(call)));
    api.post("/v1/subscriptions/:id", Access.SECRET, call -> {
      Input.onlyKnown(call.body(), Set.of("cancel_at_period_end"));
      return ok(api, RecurringAddresses.SUBSCRIPTION_UPDATE, byId(call)
          .put("cancel_at_period_end", Input.optionalBoolean(call.body(), "cancel_at_period_end")));
    });
    api.delete("/v1/subscriptions/:id", Access.SECRET, call -> ok(api, RecurringAddresses.SUBSCRIPTION_CANCEL, byId(call)));
    api.post("/v1/subscriptions/:id/cancel", Access.SECRET, call -> ok(api, RecurringAddresses.SUBSCRIPTION_CANCEL, byId(call)));
    api.get("/v1/invoices", Access.SECRET, call -> ok(api, RecurringAddresses.INVOICE_LIST, listed(call)
        .put("subscription", call.query("subscription")).put("customer", call.query("customer"))
        .put("status", status(call, Invoices.STATUSES))));
    api.get("/v1/invoices/:id", Access.SECRET, call -> ok(api, RecurringAddresses.INVOICE_GET, byId(call)));
    api.post("/v1/invoices/:id/void", Access.SECRET, call -> ok(api, RecurringAddresses.INVOICE_VOID, byId(call)));
    api.post("/v1/test_clocks", Access.SECRET, call -> {
      testMode(call);
      JsonObject body = call.body();
      Input.onlyKnown(body, Set.of("frozen_time", "name"));
      return created(api, RecurringAddresses.CLOCK_CREATE, call.command(new JsonObject()
          .put("frozen_time", time(body, "frozen_time").toString()).put("name", Input.optionalString(body, "name", 200))));
    });
    api.get("/v1/test_clocks", Access.SECRET, call -> ok(api, RecurringAddresses.CLOCK_LIST, listed(call)));
    api.get("/v1/test_clocks/:id", Access.SECRET, call -> ok(api, RecurringAddresses.CLOCK_GET, byId(call)));
    // No mode check here: a live key finds no clock (404), as for every object of the other mode.
    api.post("/v1/test_clocks/:id/advance", Access.SECRET, call -> {
      Input.onlyKnown(call.body(), Set.of("to"));
      return ok(api, RecurringAddresses.CLOCK_ADVANCE, byId(call).put("to", time(call.body(), "to").toString()));
    });
    api.get("/v1/billing_settings", Access.SECRET, call -> ok(api, RecurringAddresses.SETTINGS_GET, call.command(new JsonObject())));
    api.post("/v1/billing_settings", Access.SECRET, call -> ok(api, RecurringAddresses.SETTINGS_SET, settings(call)));
  }

  private Future<Reply> ok(Api api, String address, JsonObject command) {
    return Bus.<JsonObject>request(api.vertx(), address, command, timeoutMs).map(Reply::ok);
  }

  private Future<Reply> created(Api api, String address, JsonObject command) {
    return Bus.<JsonObject>request(api.vertx(), address, command, timeoutMs).map(Reply::created);
  }

  private static JsonObject byId(Call call) {
    return call.command(new JsonObject().put("id", call.path("id")));
  }

  private static JsonObject listed(Call call) {
    return call.command(new JsonObject().put("page", call.page().toJson()));
  }

  private static String status(Call call, java.util.List<String> statuses) {
    String status = call.query("status");
    if (status != null && !statuses.contains(status)) {
      throw CowrieError.invalid("status", "status must be one of " + String.join(", ", statuses) + ".");
    }
    return status;
  }

  /** Test clocks move time, which live money never does. */
  private static void testMode(Call call) {
    if (!"test".equals(call.principal().mode())) {
      throw new CowrieError(ErrorCode.PERMISSION_DENIED, "Test clocks exist in test mode only; use a sk_test_ key.");
    }
  }

  /** An RFC 3339 timestamp, or Unix seconds as Stripe takes them. */
  static OffsetDateTime time(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      throw CowrieError.missing(field);
    }
    try {
      if (value instanceof Number seconds && !(value instanceof Double || value instanceof Float)) {
        return Instant.ofEpochSecond(seconds.longValue()).atOffset(ZoneOffset.UTC);
      }
      if (value instanceof String text) {
        return OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC);
      }
    } catch (java.time.DateTimeException bad) {
      // the same answer as a wrong type
    }
    throw CowrieError.invalid(field, field + " must be an RFC 3339 timestamp (2026-01-31T00:00:00Z) or Unix seconds.");
  }

  private static JsonObject customer(Call call) {
    JsonObject body = call.body();
    Input.onlyKnown(body, CUSTOMER_FIELDS);
    String email = body.getValue("email") == null ? null : Input.email(body, "email");
    String clock = Input.optionalString(body, "test_clock", 64);
    if (clock != null && !"test".equals(call.principal().mode())) {
      throw CowrieError.invalid("test_clock", "Test clocks exist in test mode only.");
    }
    return call.command(new JsonObject().put("email", email).put("name", Input.optionalString(body, "name", 200))
        .put("test_clock", clock).put("metadata", metadata(body)));
  }

  private static JsonObject price(Call call) {
    JsonObject body = call.body();
    Input.onlyKnown(body, PRICE_FIELDS);
    long amount = Input.amount(body, "amount");
    String currency = Input.currency(body, "currency");
    Object interval = body.getValue("interval");
    if (interval == null) {
      throw CowrieError.missing("interval");
    }
    if (!(interval instanceof String name) || Periods.Interval.fromApi(name) == null) {
      throw CowrieError.invalid("interval", "interval must be one of day, week, month, year.");
    }
    Integer count = Input.optionalInteger(body, "interval_count", 1, 365);
    Integer trialDays = Input.optionalInteger(body, "trial_days", 0, 730);
    return call.command(new JsonObject().put("amount", new Money(amount, currency).amount()).put("currency", currency)
        .put("interval", interval).put("interval_count", count == null ? 1 : count).put("trial_days", trialDays == null ? 0 : trialDays)
        .put("nickname", Input.optionalString(body, "nickname", 200)).put("metadata", metadata(body)));
  }

  private static JsonObject subscription(Call call) {
    JsonObject body = call.body();
    Input.onlyKnown(body, SUBSCRIPTION_FIELDS);
    String currency = body.getValue("currency") == null ? null : Input.currency(body, "currency");
    String clock = Input.optionalString(body, "test_clock", 64);
    if (clock != null && !"test".equals(call.principal().mode())) {
      throw CowrieError.invalid("test_clock", "Test clocks exist in test mode only.");
    }
    return call.command(new JsonObject().put("customer", Input.string(body, "customer", 64)).put("price", Input.string(body, "price", 64))
        .put("test_clock", clock).put("currency", currency).put("trial_days", Input.optionalInteger(body, "trial_days", 0, 730))
        .put("cancel_at_period_end", Input.optionalBoolean(body, "cancel_at_period_end")).put("metadata", metadata(body)));
  }

  private static JsonObject settings(Call call) {
    JsonObject body = call.body();
    Input.onlyKnown(body, Set.of("retry_days", "after_retries"));
    JsonArray days = Input.optionalArray(body, "retry_days");
    if (days == null) {
      throw CowrieError.missing("retry_days");
    }
    int previous = 0;
    for (Object day : days) {
      if (!(day instanceof Integer number) || number <= previous || number > BillingSettings.RETRY_DAYS_MAX) {
        throw CowrieError.invalid("retry_days", "retry_days must be increasing whole days from 1 to "
            + BillingSettings.RETRY_DAYS_MAX + ", such as [1, 3, 5].");
      }
      previous = number;
    }
    if (days.size() > BillingSettings.RETRIES_MAX) {
      throw CowrieError.invalid("retry_days", "retry_days holds at most " + BillingSettings.RETRIES_MAX + " retries.");
    }
    Object after = body.getValue("after_retries");
    if (!"cancel".equals(after) && !"unpaid".equals(after)) {
      throw CowrieError.invalid("after_retries", "after_retries must be cancel or unpaid.");
    }
    return call.command(new JsonObject().put("retry_days", days).put("after_retries", after));
  }

  private static JsonObject metadata(JsonObject body) {
    JsonObject metadata = Input.optionalObject(body, "metadata");
    if (metadata != null && metadata.encode().length() > 8192) {
      throw CowrieError.invalid("metadata", "metadata must be at most 8 KiB of JSON.");
    }
    return metadata;
  }
}
