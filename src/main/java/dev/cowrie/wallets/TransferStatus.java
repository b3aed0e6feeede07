package dev.cowrie.wallets;

import java.util.Locale;

/**
 * A transfer's status as the API spells it ({@link #api()}). A transfer commits whole (its entry, its
 * row and its event in one transaction), so every stored transfer has succeeded; the enum keeps the
 * API's word in one place should a transfer ever wait (a review, a hold).
 */
public enum TransferStatus {
  SUCCEEDED;

  public String api() {
    return name().toLowerCase(Locale.ROOT);
  }
}
