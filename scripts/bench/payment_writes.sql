-- pgbench, kept for reference: the six commits of one payment creation before issue 10 (idempotency
-- claim, payment + event, sandbox charge, attempt + provider reference, render, idempotency completion,
-- audit row). The yardstick is payment_min.sql (two transactions).
SELECT nextval('bench_seq') AS n \gset
INSERT INTO idempotency_keys (merchant_id, mode, idem_key, fingerprint, state, locked_until) VALUES (':merchant', 'test', 'pgb-' || :n, 'fp', 'in_flight', now() + interval '60 s');
BEGIN;
INSERT INTO payments (id, merchant_id, mode, amount, currency, status, reference, idempotency_key) VALUES ('pay_pgb_' || :n, ':merchant', 'test', 150000, 'NGN', 'requires_action', 'pgb-' || :n, 'pgb-' || :n);
INSERT INTO events (id, merchant_id, mode, type, data) VALUES ('evt_pgb_' || :n, ':merchant', 'test', 'payment.created', '{"object":{"id":"x"}}');
COMMIT;
INSERT INTO sandbox_charges (reference, merchant_ref, amount, currency, status, callback_url, secret) VALUES ('sbx_pgb_' || :n, 'pay_pgb_' || :n, 150000, 'NGN', 'pending', 'http://127.0.0.1/cb', '\x00');
BEGIN;
INSERT INTO payment_attempts (id, payment_id, connection_id, provider, operation, outcome, http_status, latency_ms) VALUES ('att_pgb_' || :n, 'pay_pgb_' || :n, ':conn', 'sandbox', 'start', 'succeeded', 201, 1);
UPDATE payments SET provider = 'sandbox', connection_id = ':conn', provider_reference = 'sbx_pgb_' || :n, next_action_url = 'http://127.0.0.1/x' WHERE id = 'pay_pgb_' || :n;
COMMIT;
SELECT * FROM payments WHERE id = 'pay_pgb_' || :n AND merchant_id = ':merchant' AND mode = 'test';
SELECT id FROM payment_attempts WHERE payment_id = 'pay_pgb_' || :n ORDER BY id LIMIT 50;
UPDATE idempotency_keys SET state = 'done', response_status = 201, response_body = '{}' WHERE merchant_id = ':merchant' AND mode = 'test' AND idem_key = 'pgb-' || :n;
INSERT INTO audit_log (actor, merchant_id, mode, action, target, status, ip) VALUES ('key_x', ':merchant', 'test', 'POST /v1/payments', 'pay_pgb_' || :n, 201, '127.0.0.1');
