-- Dashboard users are a merchant's team: each has a role (what the API lets them do, see
-- http/RolePolicy), may turn on TOTP two-factor sign-in, and is locked out for a while after
-- repeated failed sign-ins. Wallet users have no role.
ALTER TABLE users ADD COLUMN role text CHECK (role IN ('owner', 'developer', 'support', 'viewer'));
-- Dashboard users made before teams existed were the merchant's only people: its owners.
UPDATE users SET role = 'owner' WHERE kind = 'dashboard';
ALTER TABLE users ADD CONSTRAINT users_role_by_kind CHECK ((kind = 'dashboard') = (role IS NOT NULL));

-- The TOTP secret is sealed with the master key (common/SecretBox, bound to the user id);
-- totp_enabled_at is set once a first code proved the person's app has it.
ALTER TABLE users ADD COLUMN totp_secret bytea;
ALTER TABLE users ADD COLUMN totp_enabled_at timestamptz;
-- The last time step whose code was accepted: a code is good once (RFC 6238 section 5.2).
ALTER TABLE users ADD COLUMN totp_last_step bigint;
ALTER TABLE users ADD CONSTRAINT users_totp_needs_secret CHECK (totp_enabled_at IS NULL OR totp_secret IS NOT NULL);

ALTER TABLE users ADD COLUMN failed_logins integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0);
ALTER TABLE users ADD COLUMN locked_until timestamptz;

CREATE INDEX users_team ON users (merchant_id, id) WHERE kind = 'dashboard';
