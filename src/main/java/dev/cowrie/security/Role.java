package dev.cowrie.security;

import java.util.Locale;

/**
 * A dashboard user's role in their merchant's team, weakest first: each role may do what the ones
 * before it may. viewer reads; support also moves payments and refunds; developer also manages
 * keys, webhooks and provider connections; owner also manages the team and the business profile.
 */
public enum Role {
  VIEWER, SUPPORT, DEVELOPER, OWNER;

  public boolean atLeast(Role other) {
    return compareTo(other) >= 0;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role a wire name names, or null when it names none. */
  public static Role fromWire(String wire) {
    if (wire == null) {
      return null;
    }
    for (Role role : values()) {
      if (role.wire().equals(wire)) {
        return role;
      }
    }
    return null;
  }
}
