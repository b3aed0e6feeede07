-- GET /v1/payments filters (reference, customer email, created range; search uses the first two and the key).
CREATE INDEX payments_by_reference ON payments (merchant_id, mode, reference);
CREATE INDEX payments_by_customer_email ON payments (merchant_id, mode, (lower(customer->>'email')));
CREATE INDEX payments_by_created ON payments (merchant_id, mode, created_at);
