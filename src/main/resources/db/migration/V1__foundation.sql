-- Merchants, credentials, users, audit, idempotency and the event outbox.

CREATE TABLE merchants (
  id                    text PRIMARY KEY,
  name                  text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  email                 text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
  rate_limit_per_second integer CHECK (rate_limit_per_second > 0),
  rate_limit_burst      integer CHECK (rate_limit_burst > 0),
  created_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id           text PRIMARY KEY,
  merchant_id  text NOT NULL REFERENCES merchants(id),
  mode         text NOT NULL CHECK (mode IN ('test', 'live')),
  kind         text NOT NULL CHECK (kind IN ('secret', 'publishable')),
  key_hash     bytea NOT NULL UNIQUE,        -- SHA-256 of the key; the key itself is never stored
  display      text NOT NULL,                -- e.g. sk_test_…Ab3x, safe to show
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz,                  -- set when rolled with a grace period
  revoked_at   timestamptz,
  rolled_to    text REFERENCES api_keys(id)
);
CREATE INDEX api_keys_by_merchant ON api_keys (merchant_id, mode, id);

CREATE TABLE users (
  id            text PRIMARY KEY,
  merchant_id   text NOT NULL REFERENCES merchants(id),
  kind          text NOT NULL CHECK (kind IN ('dashboard', 'wallet')),
  mode          text NOT NULL DEFAULT 'test' CHECK (mode IN ('test', 'live')),
  username      text NOT NULL CHECK (length(username) BETWEEN 1 AND 100),
  password_hash text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
-- Dashboard users log in with the username alone; wallet users within their merchant and mode.
CREATE UNIQUE INDEX users_dashboard_username ON users (lower(username)) WHERE kind = 'dashboard';
CREATE UNIQUE INDEX users_wallet_username ON users (merchant_id, mode, lower(username)) WHERE kind = 'wallet';

CREATE TABLE refresh_tokens (
  id          text PRIMARY KEY,
  family_id   text NOT NULL,
  user_id     text NOT NULL REFERENCES users(id),
  token_hash  bytea NOT NULL UNIQUE,
  mode        text NOT NULL CHECK (mode IN ('test', 'live')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,               -- key_…, usr_… or admin
  merchant_id text,
  mode        text,
  action      text NOT NULL,               -- e.g. "POST /v1/payments"
  target      text,                        -- id of the object created or changed, when known
  status      integer NOT NULL,
  ip          text,
  user_agent  text,
  request_id  text
);
CREATE INDEX audit_log_by_merchant ON audit_log (merchant_id, id);

-- Durable guard for Idempotency-Key: Redis is the fast path, this row is the truth.
CREATE TABLE idempotency_keys (
  merchant_id     text NOT NULL,
  mode            text NOT NULL,
  idem_key        text NOT NULL,
  fingerprint     text NOT NULL,
  state           text NOT NULL CHECK (state IN ('in_flight', 'done')),
  response_status integer,
  response_body   text,
  locked_until    timestamptz NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, mode, idem_key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);

-- Every event, written in the transaction of the change it describes; also the outbox.
CREATE TABLE events (
  seq         bigserial PRIMARY KEY,
  id          text NOT NULL UNIQUE,
  merchant_id text NOT NULL,
  mode        text NOT NULL CHECK (mode IN ('test', 'live')),
  type        text NOT NULL,
  data        jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  relayed_at  timestamptz
);
CREATE INDEX events_unrelayed ON events (seq) WHERE relayed_at IS NULL;
CREATE INDEX events_by_merchant ON events (merchant_id, mode, id);
