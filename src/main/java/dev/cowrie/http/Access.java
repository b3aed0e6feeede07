package dev.cowrie.http;

import dev.cowrie.security.Principal.Kind;
import java.util.EnumSet;
import java.util.Set;

/** Who may call a route. */
public enum Access {
  /** No credentials (callbacks, health, login). */
  NONE(EnumSet.noneOf(Kind.class)),
  /** A merchant's secret key or a dashboard user. */
  SECRET(EnumSet.of(Kind.SECRET_KEY, Kind.DASHBOARD_USER)),
  /** Also the publishable key (e.g. registering wallet users from an app). */
  PUBLISHABLE(EnumSet.of(Kind.SECRET_KEY, Kind.DASHBOARD_USER, Kind.PUBLISHABLE_KEY)),
  /** A dashboard user's own access token (their own sign-in settings). */
  DASHBOARD_USER(EnumSet.of(Kind.DASHBOARD_USER)),
  /** A person signed in: a dashboard or wallet user (their own sessions). */
  PERSON(EnumSet.of(Kind.DASHBOARD_USER, Kind.WALLET_USER)),
  /** A wallet user's access token. */
  WALLET_USER(EnumSet.of(Kind.WALLET_USER)),
  /** Merchant credentials or a wallet user (each sees their own scope). */
  ANY_AUTHENTICATED(EnumSet.of(Kind.SECRET_KEY, Kind.DASHBOARD_USER, Kind.WALLET_USER)),
  /** The operator's admin token. */
  ADMIN(EnumSet.of(Kind.ADMIN));

  final Set<Kind> kinds;

  Access(Set<Kind> kinds) {
    this.kinds = kinds;
  }
}
