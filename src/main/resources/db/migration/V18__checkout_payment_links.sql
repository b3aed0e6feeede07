-- Cowrie Checkout (issue 12): every payment has an unguessable checkout token (its hosted page is
-- /checkout/{token}); a payment paid from a Cowrie wallet records its payer in wallet_user_id
-- (provider 'wallet'); payment links are a merchant's reusable pages that create payments.

ALTER TABLE payments ADD COLUMN checkout_token text;
ALTER TABLE payments ADD COLUMN hosted_url text;
CREATE UNIQUE INDEX payments_by_checkout_token ON payments (checkout_token);

CREATE TABLE payment_links (
  id              text PRIMARY KEY,
  merchant_id     text NOT NULL REFERENCES merchants(id),
  mode            text NOT NULL CHECK (mode IN ('test', 'live')),
  slug            text NOT NULL UNIQUE,
  currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  -- A fixed amount, or (amount NULL) the customer chooses within [amount_min, amount_max].
  amount          bigint CHECK (amount > 0),
  amount_min      bigint CHECK (amount_min > 0),
  amount_max      bigint CHECK (amount_max > 0),
  description     text,
  return_url      text,
  active          boolean NOT NULL DEFAULT true,
  idempotency_key text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((amount IS NOT NULL AND amount_min IS NULL AND amount_max IS NULL)
      OR (amount IS NULL AND amount_min IS NOT NULL AND amount_max IS NOT NULL AND amount_min <= amount_max)),
  UNIQUE (merchant_id, mode, idempotency_key)
);
CREATE INDEX payment_links_by_merchant ON payment_links (merchant_id, mode, id);
SELECT tenant_wall('payment_links');

-- The wallet is an internal provider: its attempts call no connection.
ALTER TABLE payment_attempts ALTER COLUMN connection_id DROP NOT NULL;
ALTER TABLE payment_attempts ADD CONSTRAINT payment_attempts_connection_or_wallet
  CHECK (connection_id IS NOT NULL OR provider = 'wallet');
