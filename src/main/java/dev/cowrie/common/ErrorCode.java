package dev.cowrie.common;

/** Every error code of the public contract, with its HTTP status and error type (API.md). */
public enum ErrorCode {
  INVALID_REQUEST(400, Type.INVALID_REQUEST),
  INVALID_JSON(400, Type.INVALID_REQUEST),
  PARAMETER_MISSING(400, Type.INVALID_REQUEST),
  PARAMETER_INVALID(400, Type.INVALID_REQUEST),
  INVALID_AMOUNT(400, Type.INVALID_REQUEST),
  INVALID_CURRENCY(400, Type.INVALID_REQUEST),
  SELF_TRANSFER(400, Type.INVALID_REQUEST),
  IDEMPOTENCY_KEY_REQUIRED(400, Type.INVALID_REQUEST),
  RESOURCE_MISSING(404, Type.INVALID_REQUEST),
  ROUTE_NOT_FOUND(404, Type.INVALID_REQUEST),
  UNKNOWN_RECIPIENT(404, Type.INVALID_REQUEST),
  METHOD_NOT_ALLOWED(405, Type.INVALID_REQUEST),
  RESOURCE_EXISTS(409, Type.INVALID_REQUEST),
  INVALID_STATE(409, Type.INVALID_REQUEST),
  PAYMENT_REQUEST_PAID(409, Type.INVALID_REQUEST),
  PAYMENT_REQUEST_EXPIRED(409, Type.INVALID_REQUEST),
  PAYMENT_REQUEST_CANCELED(409, Type.INVALID_REQUEST),
  BODY_TOO_LARGE(413, Type.INVALID_REQUEST),
  UNSUPPORTED_MEDIA_TYPE(415, Type.INVALID_REQUEST),
  REFUND_EXCEEDS_PAYMENT(422, Type.INVALID_REQUEST),
  AMOUNT_EXCEEDS_REQUEST(422, Type.INVALID_REQUEST),
  INSUFFICIENT_FUNDS(422, Type.INVALID_REQUEST),
  CURRENCY_MISMATCH(422, Type.INVALID_REQUEST),
  CURRENCY_NOT_SUPPORTED(422, Type.INVALID_REQUEST),
  NO_ELIGIBLE_PROVIDER(422, Type.INVALID_REQUEST),
  INVALID_API_KEY(401, Type.AUTHENTICATION),
  INVALID_TOKEN(401, Type.AUTHENTICATION),
  INVALID_CREDENTIALS(401, Type.AUTHENTICATION),
  INVALID_SIGNATURE(401, Type.AUTHENTICATION),
  PERMISSION_DENIED(403, Type.PERMISSION),
  PIN_REQUIRED(403, Type.PERMISSION),
  INVALID_PIN(403, Type.PERMISSION),
  PIN_LOCKED(403, Type.PERMISSION),
  PLAN_LIMIT_EXCEEDED(403, Type.PERMISSION),
  /** Live mode opens once the merchant's KYC is verified. */
  KYC_REQUIRED(403, Type.PERMISSION),
  /** Too many failed sign-ins: the account waits a while. */
  ACCOUNT_LOCKED(403, Type.PERMISSION),
  /** An owner turns on two-factor sign-in before using live mode. */
  TWO_FACTOR_SETUP_REQUIRED(403, Type.PERMISSION),
  /** This account signs in with a one-time code too ({@code totp_code}). */
  TOTP_REQUIRED(401, Type.AUTHENTICATION),
  INVALID_TOTP(401, Type.AUTHENTICATION),
  RATE_LIMITED(429, Type.RATE_LIMIT),
  IDEMPOTENCY_KEY_IN_USE(409, Type.IDEMPOTENCY),
  IDEMPOTENCY_KEY_REUSED(422, Type.IDEMPOTENCY),
  PROVIDER_ERROR(502, Type.PROVIDER),
  INTERNAL_ERROR(500, Type.API),
  SERVICE_UNAVAILABLE(503, Type.API);

  /** The error types of API.md. */
  public enum Type {
    INVALID_REQUEST("invalid_request_error"),
    AUTHENTICATION("authentication_error"),
    PERMISSION("permission_error"),
    RATE_LIMIT("rate_limit_error"),
    IDEMPOTENCY("idempotency_error"),
    PROVIDER("provider_error"),
    API("api_error");

    public final String wire;

    Type(String wire) {
      this.wire = wire;
    }
  }

  public final int httpStatus;
  public final Type type;

  ErrorCode(int httpStatus, Type type) {
    this.httpStatus = httpStatus;
    this.type = type;
  }

  /** The code as it appears on the wire: {@code insufficient_funds}. */
  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static ErrorCode fromWire(String code) {
    try {
      return valueOf(code.toUpperCase(java.util.Locale.ROOT));
    } catch (RuntimeException unknown) {
      return INTERNAL_ERROR;
    }
  }
}
