-- GET /v1/payments filters (reference, customer email, created range; search uses the first two and the key).
CREATE INDEX payments_by_reference ON payments (merchant_id, mode, reference);
CREATE INDEX payments_by_customer_email ON payments (merchant_id, mode, (lower(customer->>'email')));
CREATE INDEX payments_by_created ON payments (merchant_id, mode, created_at);

-- A payment's timeline: the provider callbacks applied to it, and its events (the payment's, and its refunds').
ALTER TABLE provider_events ADD COLUMN payment_id text;
CREATE INDEX provider_events_by_payment ON provider_events (payment_id) WHERE payment_id IS NOT NULL;
CREATE INDEX events_by_object ON events (merchant_id, mode, (data->'object'->>'id'));
CREATE INDEX events_by_payment ON events (merchant_id, mode, (data->'object'->>'payment')) WHERE data->'object' ? 'payment';
