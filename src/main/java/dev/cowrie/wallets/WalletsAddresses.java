package dev.cowrie.wallets;

/** Event-bus addresses of the wallets area (WalletsVerticle). */
public final class WalletsAddresses {
  public static final String GET_WALLET = "cowrie.wallets.get_wallet";
  public static final String TRANSFER = "cowrie.wallets.transfer";
  public static final String LIST_TRANSFERS = "cowrie.wallets.list_transfers";
  public static final String GET_TRANSFER = "cowrie.wallets.get_transfer";
  public static final String TOPUP = "cowrie.wallets.topup";
  /** The transfer a sender made with an idempotency key: {@code {"transfer": {...} | null}}. */
  public static final String FIND_TRANSFER_BY_KEY = "cowrie.wallets.find_transfer_by_key";

  private WalletsAddresses() {}
}
