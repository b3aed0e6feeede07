-- A chat transfer that answers a payment request: before the money moves, the amount is held
-- against the request (under the request row's lock), so two payers racing cannot overpay it.
-- The hold becomes a counted confirmation once the transfer committed, or goes if it was refused;
-- a hold left behind by a crash is settled by chat's receipt repair the same way.
CREATE TABLE payment_request_holds (
  merchant_id   text NOT NULL,
  mode          text NOT NULL CHECK (mode IN ('test', 'live')),
  payer_user_id text NOT NULL REFERENCES users(id),
  transfer_key  text NOT NULL,                    -- the transfer's idempotency key (chat:<room>:<retry key>)
  request_id    text NOT NULL REFERENCES payment_requests(id),
  payer         text NOT NULL,
  amount        bigint NOT NULL CHECK (amount > 0),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, mode, payer_user_id, transfer_key)
);
CREATE INDEX payment_request_holds_by_request ON payment_request_holds (request_id);
SELECT tenant_wall('payment_request_holds');

-- The payee may cancel a request: a canceled one takes no more payments (its tally stays).
DO $$
DECLARE c record;
BEGIN
  FOR c IN SELECT conname FROM pg_constraint
           WHERE conrelid = 'payment_requests'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%status%'
  LOOP
    EXECUTE format('ALTER TABLE payment_requests DROP CONSTRAINT %I', c.conname);
  END LOOP;
END $$;
ALTER TABLE payment_requests ADD CONSTRAINT payment_requests_status_known
  CHECK (status IN ('open', 'partially_paid', 'paid', 'canceled'));
ALTER TABLE payment_requests ADD CONSTRAINT payment_requests_status_follows_tally
  CHECK (status = 'canceled' OR ((status = 'open') = (paid_amount = 0) AND (status = 'paid') = (paid_amount >= amount)));
ALTER TABLE payment_requests ADD COLUMN canceled_at timestamptz;
