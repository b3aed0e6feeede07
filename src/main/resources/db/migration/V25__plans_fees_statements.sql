-- Issue 14 part 1: the platform's own billing. Plans (the operator's catalogue), each merchant's
-- plan terms (which plan was in force when), the fee charged on every succeeded payment, and one
-- statement per merchant, mode and billing period.

-- The operator's catalogue: tenant-free (every merchant may be put on any plan). A plan's prices
-- never change once created (a new price is a new plan), so a payment's fee can always be
-- recomputed from the plan it names; archiving only stops new subscriptions.
CREATE TABLE plans (
  id          text PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  fees        jsonb NOT NULL DEFAULT '{}',   -- {"NGN":{"percent_bps":150,"fixed":10000,"cap":200000}}
  monthly_fee jsonb NOT NULL DEFAULT '{}',   -- {"NGN":500000}
  limits      jsonb NOT NULL DEFAULT '{}',   -- {"rate_limit_per_second","rate_limit_burst","live_mode","webhook_endpoints","team_seats"}
  archived_at timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
-- The default plan: no fees, no platform fee, no limit beyond the gateway's defaults. Every
-- merchant starts on it, so an upgrade changes no merchant's money until the operator says so.
INSERT INTO plans (id, name, limits) VALUES ('plan_default', 'default', '{"live_mode":true}');

-- One row per merchant: its billing anchor (periods are whole months from it) and the end of the
-- earliest period not yet closed, which the period-closing worker claims (FOR UPDATE SKIP LOCKED).
CREATE TABLE plan_subscriptions (
  merchant_id   text PRIMARY KEY REFERENCES merchants(id),
  anchor        timestamptz NOT NULL,
  next_close_at timestamptz NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plan_subscriptions_due ON plan_subscriptions (next_close_at);

-- Which plan was in force when: [starts_at, ends_at). A change "now" ends the current term now;
-- a change "next_period" ends it at the period's end and starts the new one there (a pending change).
CREATE TABLE plan_terms (
  id          text PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants(id),
  plan_id     text NOT NULL REFERENCES plans(id),
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at IS NULL OR ends_at > starts_at),
  UNIQUE (merchant_id, starts_at)
);

-- The fee of every succeeded payment, written in the payment's own transaction: what statements
-- add up (volume and fees per period) without reading another area's tables.
CREATE TABLE fee_charges (
  payment_id  text PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants(id),
  mode        text NOT NULL CHECK (mode IN ('test', 'live')),
  plan_id     text NOT NULL REFERENCES plans(id),
  amount      bigint NOT NULL CHECK (amount > 0),
  currency    text NOT NULL,
  fee         bigint NOT NULL CHECK (fee >= 0 AND fee <= amount),
  charged_at  timestamptz NOT NULL
);
CREATE INDEX fee_charges_by_period ON fee_charges (merchant_id, mode, charged_at);

-- One statement per merchant, mode and period: the unique key makes closing a period idempotent
-- across restarts and nodes. The platform fee due is the plan's monthly fee plus what the previous
-- statement left owed; what the balance could cover is debited, the rest is owed.
CREATE TABLE statements (
  id             text PRIMARY KEY,
  merchant_id    text NOT NULL REFERENCES merchants(id),
  mode           text NOT NULL CHECK (mode IN ('test', 'live')),
  period_start   timestamptz NOT NULL,
  period_end     timestamptz NOT NULL,
  plan_id        text NOT NULL REFERENCES plans(id),
  volume         jsonb NOT NULL,             -- [{"currency","count","volume","fees"}]
  currency       text,                        -- the platform fee's currency (null: the plan has none)
  platform_fee   bigint NOT NULL DEFAULT 0 CHECK (platform_fee >= 0),
  carried_over   bigint NOT NULL DEFAULT 0 CHECK (carried_over >= 0),
  amount_debited bigint NOT NULL DEFAULT 0 CHECK (amount_debited >= 0),
  amount_owed    bigint NOT NULL DEFAULT 0 CHECK (amount_owed >= 0),
  status         text NOT NULL CHECK (status IN ('paid', 'owed')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (amount_debited + amount_owed = platform_fee + carried_over),
  UNIQUE (merchant_id, mode, period_start)
);
CREATE INDEX statements_by_merchant ON statements (merchant_id, mode, id);

-- The payment carries its fee and the plan that priced it; net = amount - fee.
ALTER TABLE payments ADD COLUMN fee bigint NOT NULL DEFAULT 0, ADD COLUMN fee_plan text, ADD COLUMN succeeded_at timestamptz;
ALTER TABLE payments ADD CONSTRAINT payments_fee_check CHECK (fee BETWEEN 0 AND amount);

-- Every existing merchant starts on the default plan, anchored at its creation. Months are added
-- in UTC, as common/Periods does (a month from Jan 31 ends on Feb 28/29).
INSERT INTO plan_subscriptions (merchant_id, anchor, next_close_at)
  SELECT id, created_at, (created_at AT TIME ZONE 'UTC' + interval '1 month') AT TIME ZONE 'UTC' FROM merchants;
INSERT INTO plan_terms (id, merchant_id, plan_id, starts_at)
  SELECT 'term_' || id, id, 'plan_default', created_at FROM merchants;

SELECT tenant_wall('plan_subscriptions');
SELECT tenant_wall('plan_terms');
SELECT tenant_wall('fee_charges');
SELECT tenant_wall('statements');
