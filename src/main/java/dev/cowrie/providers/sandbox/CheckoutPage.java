package dev.cowrie.providers.sandbox;

import dev.cowrie.common.Money;
import io.vertx.sqlclient.Row;

/** The sandbox's hosted checkout page: Pay or Decline, as a real provider's page would offer. */
final class CheckoutPage {
  private CheckoutPage() {}

  private static String escape(String text) {
    return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  static String render(Row charge) {
    String amount = new Money(charge.getLong("amount"), charge.getString("currency")).toString();
    String status = charge.getString("status");
    boolean open = status.equals("pending");
    return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Sandbox checkout</title>
        <style>body{font:16px system-ui,sans-serif;max-width:420px;margin:60px auto;text-align:center}
        button{font-size:16px;padding:10px 24px;margin:8px;border-radius:6px;border:1px solid #888;cursor:pointer}
        .pay{background:#0a7;color:#fff;border-color:#0a7}.amount{font-size:32px;margin:16px 0}</style></head>
        <body><p>Cowrie sandbox checkout</p><div class="amount" id="amount">%s</div><p>Reference %s</p>
        %s
        </body></html>
        """.formatted(escape(amount), escape(charge.getString("merchant_ref")), open
        ? """
            <form method="post"><button class="pay" name="outcome" value="succeed" id="pay">Pay</button>
            <button name="outcome" value="decline" id="decline">Decline</button>
            <button name="outcome" value="succeed_then_decline" id="pay-then-decline">Pay, then decline renewals</button></form>"""
        : "<p id=\"status\">This checkout is " + escape(status) + ".</p>");
  }

  static String submitted(Row charge, String finalStatus) {
    String back = charge.getString("return_url");
    return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Sandbox checkout</title></head>
        <body style="font:16px system-ui,sans-serif;max-width:420px;margin:60px auto;text-align:center">
        <p id="status">Payment %s.</p>%s</body></html>
        """.formatted(finalStatus.equals("succeeded") ? "submitted" : "declined",
        back == null ? "" : "<p><a id=\"return\" href=\"" + escape(back) + "\">Return to the shop</a></p>");
  }
}
