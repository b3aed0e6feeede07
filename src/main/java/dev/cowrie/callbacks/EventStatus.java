package dev.cowrie.callbacks;

import java.util.Locale;

/** What became of a stored provider event, as provider_events and the operator's CLI spell it ({@link #api()}). */
enum EventStatus {
  /** Stored, not applied yet (the sweep picks it up if nothing else does). */
  RECEIVED,
  APPLIED,
  /** Applied, and the payment was flagged for a human (the amounts disagreed). */
  REVIEW,
  /** Verified but nothing to do (an event type we do not use, no pending refund). */
  IGNORED,
  /** Verified, and no payment of ours matches it. */
  ORPHANED;

  String api() {
    return name().toLowerCase(Locale.ROOT);
  }
}
