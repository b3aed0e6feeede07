package dev.cowrie.wallets;

import dev.cowrie.security.PersonAddresses;
/** Event-bus addresses of the wallets area (WalletsVerticle). */
public final class WalletsAddresses {
  public static final String GET_WALLET = "cowrie.wallets.get_wallet";
  public static final String TRANSFER = "cowrie.wallets.transfer";
  public static final String LIST_TRANSFERS = "cowrie.wallets.list_transfers";
  public static final String GET_TRANSFER = "cowrie.wallets.get_transfer";
  public static final String TOPUP = "cowrie.wallets.topup";
  /** The transfer a sender made with an idempotency key: {@code {"transfer": {...} | null}}. */
  public static final String FIND_TRANSFER_BY_KEY = "cowrie.wallets.find_transfer_by_key";

  /** What concerns one person (their /v1/me/stream sockets listen here): transfer.sent, transfer.received, payment requests answered. */
  public static final String PERSON_PREFIX = PersonAddresses.PERSON_PREFIX;

  private WalletsAddresses() {}

  public static String person(String userId) {
    return PersonAddresses.person(userId);
  }
}
