-- The provider's own id for the money a payment moved (Flutterwave transaction id, Stripe
-- PaymentIntent, Paystack/Chapa reference), learnt from verify; refunds and callbacks use it.
ALTER TABLE payments ADD COLUMN provider_charge_ref text;
CREATE INDEX payments_by_charge_ref ON payments (connection_id, provider_charge_ref) WHERE provider_charge_ref IS NOT NULL;
