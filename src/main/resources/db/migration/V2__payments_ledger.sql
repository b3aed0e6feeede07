-- Double-entry ledger, provider connections, payments, attempts, refunds and provider callbacks.

-- Accounts. Each balance is split over shards so a hot account (one merchant credited by every
-- payment) takes many concurrent credits: a credit locks one random shard, a debit locks all of
-- the account's shards in order and checks the total.
CREATE TABLE ledger_accounts (
  id             text PRIMARY KEY,
  merchant_id    text NOT NULL,
  mode           text NOT NULL CHECK (mode IN ('test', 'live')),
  kind           text NOT NULL CHECK (kind IN ('provider_clearing', 'merchant_available', 'merchant_pending',
                                               'user_wallet', 'fees', 'refunds')),
  owner_id       text NOT NULL DEFAULT '',
  currency       text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  allow_negative boolean NOT NULL,
  shards         smallint NOT NULL CHECK (shards BETWEEN 1 AND 64),
  created_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (merchant_id, mode, kind, owner_id, currency)
);

CREATE TABLE ledger_balances (
  account_id     text NOT NULL REFERENCES ledger_accounts(id),
  shard          smallint NOT NULL,
  balance        bigint NOT NULL DEFAULT 0,
  allow_negative boolean NOT NULL,
  PRIMARY KEY (account_id, shard),
  CHECK (allow_negative OR balance >= 0)
);

CREATE TABLE journal_entries (
  id          text PRIMARY KEY,
  merchant_id text NOT NULL,
  mode        text NOT NULL,
  kind        text NOT NULL,            -- payment_succeeded, refund_reserved, refund_succeeded, transfer …
  reference   text NOT NULL,            -- the object the entry is about (pay_…, re_…, tr_…)
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, reference)              -- one entry per event about an object: never posted twice
);

CREATE TABLE postings (
  id          bigserial PRIMARY KEY,
  entry_id    text NOT NULL REFERENCES journal_entries(id),
  account_id  text NOT NULL REFERENCES ledger_accounts(id),
  currency    text NOT NULL,
  amount      bigint NOT NULL CHECK (amount <> 0)   -- + credit (raises the balance), − debit
);
CREATE INDEX postings_by_entry ON postings (entry_id);
CREATE INDEX postings_by_account ON postings (account_id);

-- A merchant's account with a provider. Credentials are AES-GCM encrypted with the master key.
CREATE TABLE provider_connections (
  id          text PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants(id),
  mode        text NOT NULL CHECK (mode IN ('test', 'live')),
  provider    text NOT NULL,
  credentials bytea NOT NULL,
  currencies  text[] NOT NULL DEFAULT '{}',        -- empty: every currency the provider takes
  priority    integer NOT NULL DEFAULT 0,
  enabled     boolean NOT NULL DEFAULT true,
  api_base    text,
  flagged_at  timestamptz,
  flag_reason text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (merchant_id, mode, provider)
);

CREATE TABLE payments (
  id                 text PRIMARY KEY,
  merchant_id        text NOT NULL REFERENCES merchants(id),
  mode               text NOT NULL CHECK (mode IN ('test', 'live')),
  amount             bigint NOT NULL CHECK (amount > 0),
  currency           text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  status             text NOT NULL CHECK (status IN ('requires_action', 'processing', 'succeeded', 'failed',
                                                     'canceled', 'partially_refunded', 'refunded')),
  provider           text,
  connection_id      text REFERENCES provider_connections(id),
  provider_reference text,
  next_action_url    text,
  amount_refunded    bigint NOT NULL DEFAULT 0,       -- reserved by pending and succeeded refunds
  reference          text,
  description        text,
  customer           jsonb,
  metadata           jsonb,
  return_url         text,
  purpose            text,                            -- e.g. wallet_topup
  wallet_user_id     text,
  idempotency_key    text,
  failure_code       text,
  failure_message    text,
  review_reason      text,                            -- set when a provider's report disagrees with us
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CHECK (amount_refunded BETWEEN 0 AND amount),
  UNIQUE (merchant_id, mode, idempotency_key)
);
CREATE INDEX payments_by_merchant ON payments (merchant_id, mode, id);
CREATE INDEX payments_by_status ON payments (merchant_id, mode, status, id);
CREATE UNIQUE INDEX payments_by_provider_reference ON payments (connection_id, provider_reference);
CREATE INDEX payments_stale ON payments (updated_at) WHERE status IN ('requires_action', 'processing');

-- The status machine of API.md, enforced by the database itself.
CREATE TABLE payment_transitions (
  from_status text NOT NULL,
  to_status   text NOT NULL,
  PRIMARY KEY (from_status, to_status)
);
INSERT INTO payment_transitions VALUES
  ('requires_action', 'processing'), ('requires_action', 'succeeded'), ('requires_action', 'failed'),
  ('requires_action', 'canceled'), ('processing', 'succeeded'), ('processing', 'failed'),
  ('processing', 'canceled'), ('succeeded', 'partially_refunded'), ('succeeded', 'refunded'),
  ('partially_refunded', 'refunded');

CREATE FUNCTION payments_guard_transition() RETURNS trigger AS $$
BEGIN
  IF NEW.status <> OLD.status AND NOT EXISTS (
      SELECT 1 FROM payment_transitions WHERE from_status = OLD.status AND to_status = NEW.status) THEN
    RAISE EXCEPTION 'illegal payment transition % -> %', OLD.status, NEW.status USING ERRCODE = 'CW001';
  END IF;
  NEW.updated_at := now();
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER payments_transition BEFORE UPDATE ON payments
  FOR EACH ROW EXECUTE FUNCTION payments_guard_transition();

-- One row per call to a provider for a payment.
CREATE TABLE payment_attempts (
  id                 text PRIMARY KEY,
  payment_id         text NOT NULL REFERENCES payments(id),
  connection_id      text NOT NULL REFERENCES provider_connections(id),
  provider           text NOT NULL,
  operation          text NOT NULL,             -- start, verify, refund
  outcome            text NOT NULL CHECK (outcome IN ('pending', 'succeeded', 'failed', 'retryable', 'unknown')),
  http_status        integer,
  latency_ms         integer,
  error_code         text,
  error_message      text,
  raw_response       text,                      -- kept for support, cut to 8 KiB
  created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_attempts_by_payment ON payment_attempts (payment_id, id);

CREATE TABLE refunds (
  id                 text PRIMARY KEY,
  merchant_id        text NOT NULL,
  mode               text NOT NULL,
  payment_id         text NOT NULL REFERENCES payments(id),
  amount             bigint NOT NULL CHECK (amount > 0),
  currency           text NOT NULL,
  status             text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  provider_reference text,
  reason             text,
  failure_message    text,
  idempotency_key    text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (merchant_id, mode, idempotency_key)
);
CREATE INDEX refunds_by_payment ON refunds (payment_id);

-- Provider callbacks, stored raw once per (connection, provider event id).
CREATE TABLE provider_events (
  id                text PRIMARY KEY,
  connection_id     text NOT NULL REFERENCES provider_connections(id),
  merchant_id       text NOT NULL,
  mode              text NOT NULL,
  provider          text NOT NULL,
  provider_event_id text NOT NULL,
  event_type        text NOT NULL,
  reference         text,
  raw_body          text NOT NULL,
  status            text NOT NULL CHECK (status IN ('received', 'applied', 'ignored', 'orphaned', 'review')),
  note              text,
  received_at       timestamptz NOT NULL DEFAULT now(),
  applied_at        timestamptz,
  UNIQUE (connection_id, provider_event_id)
);
CREATE INDEX provider_events_orphaned ON provider_events (received_at) WHERE status = 'orphaned';

-- The sandbox provider's own books: it plays an external provider, so it keeps its own state.
CREATE TABLE sandbox_charges (
  reference      text PRIMARY KEY,             -- the sandbox's id (sbx_…)
  merchant_ref   text NOT NULL,                -- the reference Cowrie sent (the payment id)
  amount         bigint NOT NULL,
  currency       text NOT NULL,
  status         text NOT NULL CHECK (status IN ('pending', 'processing', 'succeeded', 'failed')),
  callback_url   text NOT NULL,
  secret         bytea NOT NULL,               -- the connection's signing secret, encrypted
  return_url     text,
  amount_refunded bigint NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (callback_url, merchant_ref)
);
