package dev.cowrie.wallets;

/** Event-bus addresses of the wallets area (WalletsVerticle). */
public final class WalletsAddresses {
  public static final String GET_WALLET = "cowrie.wallets.get_wallet";
  public static final String TRANSFER = "cowrie.wallets.transfer";
  public static final String LIST_TRANSFERS = "cowrie.wallets.list_transfers";
  public static final String GET_TRANSFER = "cowrie.wallets.get_transfer";
  public static final String TOPUP = "cowrie.wallets.topup";

  private WalletsAddresses() {}
}
