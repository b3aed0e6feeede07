package dev.cowrie.security;

/** Event-bus addresses of the auth area (AuthVerticle). */
public final class AuthAddresses {
  public static final String AUTHENTICATE_KEY = "cowrie.auth.authenticate_key";
  /** Published whenever a key is created, revoked or rolled: caches drop what they hold. */
  public static final String KEYS_CHANGED = "cowrie.auth.keys_changed";
  public static final String AUDIT = "cowrie.auth.audit";
  public static final String CREATE_MERCHANT = "cowrie.auth.create_merchant";
  /** A merchant's public face ({id, name}), for the pages that show it. */
  public static final String GET_MERCHANT = "cowrie.auth.get_merchant";
  public static final String LIST_MERCHANTS = "cowrie.auth.list_merchants";
  public static final String LIST_KEYS = "cowrie.auth.list_keys";
  public static final String CREATE_KEY = "cowrie.auth.create_key";
  public static final String REVOKE_KEY = "cowrie.auth.revoke_key";
  public static final String ROLL_KEY = "cowrie.auth.roll_key";
  public static final String CREATE_USER = "cowrie.auth.create_user";
  public static final String FIND_USER = "cowrie.auth.find_user";
  public static final String ISSUE_TOKEN = "cowrie.auth.issue_token";
  public static final String REFRESH_TOKEN = "cowrie.auth.refresh_token";
  public static final String LOGOUT = "cowrie.auth.logout";
  public static final String GET_PROFILE = "cowrie.auth.get_profile";
  public static final String UPDATE_PROFILE = "cowrie.auth.update_profile";
  /** Whether a payment of {@code amount} by the user may go ahead with the PIN given (or none). */
  public static final String CHECK_PIN = "cowrie.auth.check_pin";
  /** Published with a user id when that user's PIN or pin_limit changed: every node forgets the rule it held. */
  public static final String PINS_CHANGED = "cowrie.auth.pins_changed";
  public static final String LIST_AUDIT = "cowrie.auth.list_audit";
  /** The merchant's own audit trail, filtered and paged. */
  public static final String MERCHANT_AUDIT = "cowrie.auth.merchant_audit";
  public static final String SIGN_OUT_EVERYWHERE = "cowrie.auth.sign_out_everywhere";
  public static final String TOTP_SET_UP = "cowrie.auth.totp_set_up";
  public static final String TOTP_ENABLE = "cowrie.auth.totp_enable";
  public static final String TOTP_DISABLE = "cowrie.auth.totp_disable";
  public static final String TEAM_LIST = "cowrie.auth.team_list";
  public static final String TEAM_ADD = "cowrie.auth.team_add";
  public static final String TEAM_CHANGE = "cowrie.auth.team_change";
  public static final String TEAM_REMOVE = "cowrie.auth.team_remove";
  public static final String PROFILE_GET = "cowrie.auth.profile_get";
  public static final String PROFILE_UPDATE = "cowrie.auth.profile_update";
  public static final String PROFILE_SUBMIT = "cowrie.auth.profile_submit";
  public static final String DOCUMENT_ADD = "cowrie.auth.document_add";
  public static final String DOCUMENT_GET = "cowrie.auth.document_get";
  public static final String KYC_REVIEW = "cowrie.auth.kyc_review";
  public static final String KYC_LIST = "cowrie.auth.kyc_list";
  /** Whether live mode is open to a merchant: {@code {"merchant_id"}} → {@code {"verified"}}. */
  public static final String KYC_STATUS = "cowrie.auth.kyc_status";
  /** Published (to every node) when a login session is revoked: {@code {"sid"}}. */
  public static final String SESSION_REVOKED = "cowrie.auth.session_revoked";

  /** Node-local address on which the sockets opened with a session's tokens hear of its revocation. */
  public static String sessionRevoked(String sessionId) {
    return SESSION_REVOKED + "." + sessionId;
  }

  private AuthAddresses() {}
}
