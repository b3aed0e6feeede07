package dev.cowrie.walletweb;

import dev.cowrie.common.Money;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What the wallet's home page shows, read with the same commands as the API's GET routes. */
public record WalletHome(String username, List<String> balances, List<Line> history, List<Request> asked, List<Request> askedOfYou,
    List<Room> rooms, boolean pinSet, String pinLimit, String currency) {

  /** One transfer as the person sees it: with whom, which way, how much. */
  public record Line(String id, String who, boolean incoming, String amount, String note, String at) {}

  /** A payment request: who asks, how much, the tally and its page. */
  public record Request(String id, String payee, String amount, String paid, String status, String payUrl, String description) {}

  public record Room(String id, String name, String members, long unread) {}

  static String money(long amount, String currency, Locale locale) {
    return Money.isCurrency(currency) ? new Money(amount, currency).display(locale) : amount + " " + currency;
  }

  static List<String> balances(JsonObject wallet, Locale locale) {
    List<String> shown = new ArrayList<>();
    wallet.getJsonArray("balances", new JsonArray()).forEach(item -> {
      JsonObject balance = (JsonObject) item;
      shown.add(money(balance.getLong("available"), balance.getString("currency"), locale));
    });
    return shown;
  }

  static List<Line> history(JsonObject transfers, String username, Locale locale) {
    List<Line> lines = new ArrayList<>();
    transfers.getJsonArray("data", new JsonArray()).forEach(item -> {
      JsonObject transfer = (JsonObject) item;
      boolean incoming = username.equalsIgnoreCase(transfer.getString("to"));
      lines.add(new Line(transfer.getString("id"), incoming ? transfer.getString("from") : transfer.getString("to"), incoming,
          (incoming ? "+" : "−") + money(transfer.getLong("amount"), transfer.getString("currency"), locale),
          transfer.getString("note"), transfer.getString("created_at")));
    });
    return lines;
  }

  static Request request(JsonObject request, Locale locale) {
    String currency = request.getString("currency");
    return new Request(request.getString("id"), request.getString("payee"), money(request.getLong("amount"), currency, locale),
        money(request.getLong("paid_amount", 0L), currency, locale), request.getString("status"),
        request.getString("pay_url") == null ? null : path(request.getString("pay_url")), request.getString("description"));
  }

  static List<Request> requests(JsonObject list, Locale locale) {
    List<Request> shown = new ArrayList<>();
    list.getJsonArray("data", new JsonArray()).forEach(item -> shown.add(request((JsonObject) item, locale)));
    return shown;
  }

  static List<Room> rooms(JsonObject list) {
    List<Room> shown = new ArrayList<>();
    list.getJsonArray("data", new JsonArray()).forEach(item -> {
      JsonObject room = (JsonObject) item;
      shown.add(new Room(room.getString("id"), room.getString("name"),
          String.join(", ", room.getJsonArray("members", new JsonArray()).stream().map(String::valueOf).toList()),
          room.getLong("unread", 0L)));
    });
    return shown;
  }

  /** A pay URL on this site, as a path (the page links stay on the origin the person is using). */
  static String path(String url) {
    int at = url.indexOf("/pay/");
    return at >= 0 ? url.substring(at) : url;
  }
}
