-- Recurring payments for merchants' own customers (issue 14 part 2): test clocks, customers and
-- their saved payment methods, prices, subscriptions and one invoice per subscription period.
-- Every table is a merchant's (tenant_wall); the renewal scheduler works across merchants on the
-- system role, claiming rows with FOR UPDATE SKIP LOCKED and holding them by a lease.

-- Stripe's idea: a merchant's own clock in test mode; everything attached runs on its time.
CREATE TABLE test_clocks (
  id            text PRIMARY KEY,                       -- clock_…
  merchant_id   text NOT NULL REFERENCES merchants (id),
  mode          text NOT NULL CHECK (mode = 'test'),    -- time travel never touches live money
  name          text,
  frozen_time   timestamptz NOT NULL,
  status        text NOT NULL DEFAULT 'ready' CHECK (status IN ('ready', 'advancing')),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX test_clocks_list ON test_clocks (merchant_id, mode, id);
SELECT tenant_wall('test_clocks');

CREATE TABLE customers (
  id              text PRIMARY KEY,                     -- cus_…
  merchant_id     text NOT NULL REFERENCES merchants (id),
  mode            text NOT NULL CHECK (mode IN ('test', 'live')),
  email           text,
  name            text,
  test_clock      text REFERENCES test_clocks (id),
  default_payment_method text,
  metadata        jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (test_clock IS NULL OR mode = 'test')
);
CREATE INDEX customers_list ON customers (merchant_id, mode, id);
SELECT tenant_wall('customers');

-- A method the provider keeps for charges without the customer: the token is the provider's
-- (Paystack authorization_code, Flutterwave card token, Stripe PaymentMethod), valid only on the
-- connection that made it. It charges the card without the customer, so it is sealed with the
-- master key (AES-GCM, bound to the connection) like provider credentials; its hash finds it again.
CREATE TABLE customer_payment_methods (
  id                text PRIMARY KEY,                   -- pm_…
  merchant_id       text NOT NULL REFERENCES merchants (id),
  mode              text NOT NULL CHECK (mode IN ('test', 'live')),
  customer_id       text NOT NULL REFERENCES customers (id),
  provider          text NOT NULL,
  connection_id     text NOT NULL REFERENCES provider_connections (id),
  token_sealed      text NOT NULL,
  token_hash        text NOT NULL,
  provider_customer text,
  email             text,
  brand             text,
  last4             text,
  source_payment    text,                               -- the payment whose checkout saved it
  created_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (customer_id, connection_id, token_hash)
);
SELECT tenant_wall('customer_payment_methods');

CREATE TABLE prices (
  id             text PRIMARY KEY,                      -- price_…
  merchant_id    text NOT NULL REFERENCES merchants (id),
  mode           text NOT NULL CHECK (mode IN ('test', 'live')),
  amount         bigint NOT NULL CHECK (amount > 0),
  currency       text NOT NULL,
  interval       text NOT NULL CHECK (interval IN ('day', 'week', 'month', 'year')),
  interval_count integer NOT NULL CHECK (interval_count BETWEEN 1 AND 365),
  trial_days     integer NOT NULL DEFAULT 0 CHECK (trial_days BETWEEN 0 AND 730),
  nickname       text,
  active         boolean NOT NULL DEFAULT true,
  metadata       jsonb,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX prices_list ON prices (merchant_id, mode, id);
SELECT tenant_wall('prices');

-- What a merchant wants once dunning has run out, and the retry schedule (days after the first
-- failed attempt); without a row the configured defaults apply.
CREATE TABLE billing_settings (
  merchant_id    text NOT NULL REFERENCES merchants (id),
  mode           text NOT NULL CHECK (mode IN ('test', 'live')),
  retry_days     integer[] NOT NULL,
  after_retries  text NOT NULL CHECK (after_retries IN ('cancel', 'unpaid')),
  PRIMARY KEY (merchant_id, mode)
);
SELECT tenant_wall('billing_settings');

-- Periods are counted from billing_anchor (the start, or the trial's end): period k runs from
-- anchor + k × interval to anchor + (k+1) × interval, so months never drift (31 Jan → 28 Feb → 31 Mar).
CREATE TABLE subscriptions (
  id                   text PRIMARY KEY,                -- sub_…
  merchant_id          text NOT NULL REFERENCES merchants (id),
  mode                 text NOT NULL CHECK (mode IN ('test', 'live')),
  customer_id          text NOT NULL REFERENCES customers (id),
  price_id             text NOT NULL REFERENCES prices (id),
  test_clock           text REFERENCES test_clocks (id),
  status               text NOT NULL CHECK (status IN ('incomplete', 'trialing', 'active', 'past_due', 'canceled', 'unpaid')),
  billing_anchor       timestamptz NOT NULL,
  period_index         integer NOT NULL,                -- -1 while trialing
  current_period_start timestamptz NOT NULL,
  current_period_end   timestamptz NOT NULL,
  trial_end            timestamptz,
  cancel_at_period_end boolean NOT NULL DEFAULT false,
  canceled_at          timestamptz,
  ended_at             timestamptz,
  lease_until          timestamptz,                     -- a scheduler renewing it holds it until then
  metadata             jsonb,
  created_at           timestamptz NOT NULL DEFAULT now(),
  CHECK (current_period_end > current_period_start),
  CHECK (test_clock IS NULL OR mode = 'test')
);
CREATE INDEX subscriptions_list ON subscriptions (merchant_id, mode, id);
CREATE INDEX subscriptions_due ON subscriptions (current_period_end) WHERE status NOT IN ('canceled', 'unpaid');

-- One invoice per subscription period, whatever happens: the unique key is the exactly-once guard.
CREATE TABLE invoices (
  id               text PRIMARY KEY,                    -- in_…
  merchant_id      text NOT NULL REFERENCES merchants (id),
  mode             text NOT NULL CHECK (mode IN ('test', 'live')),
  subscription_id  text NOT NULL REFERENCES subscriptions (id),
  customer_id      text NOT NULL REFERENCES customers (id),
  test_clock       text REFERENCES test_clocks (id),
  period_index     integer NOT NULL CHECK (period_index >= 0),
  period_start     timestamptz NOT NULL,
  period_end       timestamptz NOT NULL,
  amount           bigint NOT NULL CHECK (amount > 0),
  currency         text NOT NULL,
  status           text NOT NULL CHECK (status IN ('draft', 'open', 'paid', 'void', 'uncollectible')),
  attempt_count    integer NOT NULL DEFAULT 0,          -- charges started so far
  next_attempt_at  timestamptz,                         -- on the invoice's clock; null while a checkout waits
  awaiting_payment boolean NOT NULL DEFAULT false,      -- its payment waits for the customer or the provider
  payment_id       text,                                -- the latest attempt's payment
  hosted_url       text,                                -- where the customer pays it
  lease_until      timestamptz,                         -- a scheduler charging it holds it until then
  paid_at          timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (subscription_id, period_index)
);
CREATE INDEX invoices_list ON invoices (merchant_id, mode, id);
CREATE INDEX invoices_due ON invoices (next_attempt_at) WHERE status = 'open';
SELECT tenant_wall('subscriptions');
SELECT tenant_wall('invoices');

-- The sandbox keeps paid cards as authorizations, as Paystack does, so renewals run offline.
-- Not a merchant's table: the sandbox plays an external provider.
CREATE TABLE sandbox_authorizations (
  id             text PRIMARY KEY,                      -- AUTH_sbx…
  connection_id  text NOT NULL REFERENCES provider_connections (id),
  last4          text NOT NULL,
  declines       boolean NOT NULL DEFAULT false,        -- a card that pays once, then declines (Stripe's 4000000000000341)
  created_at     timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE sandbox_charges ADD COLUMN authorization_id text REFERENCES sandbox_authorizations (id);
