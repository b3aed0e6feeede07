package dev.cowrie.auth;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.SecretBox;
import dev.cowrie.security.Principal;
import dev.cowrie.security.Role;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/**
 * Password sign-in of dashboard and wallet users, with a lockout after repeated failures and, for
 * users who turned it on, a TOTP code as the second factor (each code good once). Owners sign in to
 * live mode only with two-factor on. Runs on the system pool: the login is what finds the merchant.
 */
final class SignIn {
  /** {@code failuresMax} failed attempts in a row lock the account for {@code lockoutSeconds}. */
  record Policy(int failuresMax, int lockoutSeconds) {}

  /** What a person presents; {@code walletMerchantId} null for dashboard users. */
  record Attempt(String username, String password, String totpCode, String walletMerchantId, String walletMode,
      String dashboardMode) {}

  private static final String COLUMNS = """
      id, merchant_id, mode, username, password_hash, role, totp_secret, totp_enabled_at IS NOT NULL AS two_factor,
      totp_last_step, coalesce(locked_until > now(), false) AS locked""";
  private static final String FIND_DASHBOARD = "SELECT " + COLUMNS
      + " FROM users WHERE kind = 'dashboard' AND lower(username) = lower($1)";
  private static final String FIND_WALLET = "SELECT " + COLUMNS
      + " FROM users WHERE kind = 'wallet' AND merchant_id = $1 AND mode = $2 AND lower(username) = lower($3)";
  private static final String FAILED = """
      UPDATE users SET
        locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(secs => $3) ELSE locked_until END,
        failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END
      WHERE id = $1""";
  private static final String SUCCEEDED = "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1 AND failed_logins > 0";
  /** Claims the code's step: a step at or before the last one accepted is a replay. */
  static final String CLAIM_STEP = """
      UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)""";

  private final Pool pool;
  private final Passwords passwords;
  private final SecretBox box;
  private final Totp totp;
  private final Policy policy;

  SignIn(Pool pool, Passwords passwords, SecretBox box, Totp totp, Policy policy) {
    this.pool = pool;
    this.passwords = passwords;
    this.box = box;
    this.totp = totp;
    this.policy = policy;
  }

  Future<Principal> login(Attempt attempt) {
    boolean wallet = attempt.walletMerchantId() != null;
    Future<RowSet<Row>> lookup = wallet
        ? pool.preparedQuery(FIND_WALLET).execute(Tuple.of(attempt.walletMerchantId(), attempt.walletMode(), attempt.username()))
        : pool.preparedQuery(FIND_DASHBOARD).execute(Tuple.of(attempt.username()));
    return lookup.compose(rows -> {
      Row row = rows.size() == 0 ? null : rows.iterator().next();
      // A missing user still costs one bcrypt check, so timing tells no one which names exist.
      return passwords.matches(attempt.password(), row == null ? null : row.getString("password_hash"))
          .compose(ok -> checked(attempt, row, ok));
    });
  }

  private Future<Principal> checked(Attempt attempt, Row row, boolean passwordOk) {
    if (row != null && row.getBoolean("locked")) {
      return Future.failedFuture(new CowrieError(ErrorCode.ACCOUNT_LOCKED,
          "Too many failed sign-ins: this account is locked for a while. Try again later."));
    }
    if (!passwordOk) {
      return failed(row, new CowrieError(ErrorCode.INVALID_CREDENTIALS, "Wrong username or password."));
    }
    Future<Void> secondFactor = row.getBoolean("two_factor") ? secondFactor(row, attempt.totpCode()) : Future.succeededFuture();
    return secondFactor.compose(ignored -> {
      boolean wallet = attempt.walletMerchantId() != null;
      Role role = Role.fromWire(row.getString("role"));
      String mode = wallet ? row.getString("mode") : attempt.dashboardMode();
      if (!wallet && "live".equals(mode) && role == Role.OWNER && !row.getBoolean("two_factor")) {
        return Future.failedFuture(new CowrieError(ErrorCode.TWO_FACTOR_SETUP_REQUIRED,
            "Owners turn on two-factor sign-in (POST /v1/auth/totp) before using live mode.", "mode"));
      }
      Principal principal = new Principal(wallet ? Principal.Kind.WALLET_USER : Principal.Kind.DASHBOARD_USER,
          row.getString("merchant_id"), mode, row.getString("id"), row.getString("id"), row.getString("username"), role);
      return pool.preparedQuery(SUCCEEDED).execute(Tuple.of(row.getString("id"))).map(principal);
    });
  }

  private Future<Void> secondFactor(Row row, String code) {
    if (code == null) {
      return Future.failedFuture(new CowrieError(ErrorCode.TOTP_REQUIRED,
          "This account signs in with a code from its authenticator app too: send totp_code.", "totp_code"));
    }
    String userId = row.getString("id");
    byte[] secret = box.open(row.getBuffer("totp_secret").getBytes(), TwoFactor.context(userId));
    long step = totp.matchingStep(secret, code);
    if (step < 0) {
      return failed(row, new CowrieError(ErrorCode.INVALID_TOTP, "The code is wrong or has expired.", "totp_code"));
    }
    return pool.preparedQuery(CLAIM_STEP).execute(Tuple.of(userId, step)).compose(claimed -> claimed.rowCount() == 1
        ? Future.<Void>succeededFuture()
        : failed(row, new CowrieError(ErrorCode.INVALID_TOTP, "This code was already used: wait for the next one.", "totp_code")));
  }

  /** Counts the failure against the user (when there is one), then fails with {@code error}. */
  private <T> Future<T> failed(Row row, CowrieError error) {
    Future<?> counted = row == null ? Future.succeededFuture()
        : pool.preparedQuery(FAILED).execute(Tuple.of(row.getString("id"), policy.failuresMax(), policy.lockoutSeconds()));
    return counted.compose(ignored -> Future.failedFuture(error));
  }
}
