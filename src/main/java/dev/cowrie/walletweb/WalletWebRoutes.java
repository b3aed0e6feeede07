package dev.cowrie.walletweb;

import dev.cowrie.config.CowrieConfig;
import dev.cowrie.http.Api;
import dev.cowrie.http.Routes;
import java.time.Clock;

/**
 * People's pages: Cowrie Wallet web ({@code /wallet}) and a payment request's page ({@code /pay/…}).
 * Mounted before RequestsRoutes, so a browser gets the request page where API clients get JSON.
 */
public final class WalletWebRoutes implements Routes {
  private final long timeoutMs;
  private final int membersMax;
  private final Clock clock;

  /** {@code clock}: the window a payment request's expiry must fall in (as over the API). */
  public WalletWebRoutes(CowrieConfig config, Clock clock) {
    this.clock = clock;
    this.timeoutMs = config.bus().requestTimeoutMs();
    this.membersMax = config.chat().membersMax();
  }

  @Override
  public void mount(Api api) {
    SignIn signIn = new SignIn(api.vertx(), timeoutMs);
    new RequestPage(api.vertx(), timeoutMs, signIn).mount(api.pages());
    new WalletPages(api.vertx(), timeoutMs, signIn, membersMax, clock).mount(api.pages());
    new ChatPage(api.vertx(), timeoutMs).mount(api.pages());
  }
}
