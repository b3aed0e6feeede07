-- pgbench: the fewest commits a crash-safe payment creation needs (the yardstick of payments.sh).
-- (1) before the provider is called: the key's claim, the payment, its payment.created event and the
--     audit row, in the merchant's tenant (row-level security), one commit;
-- the provider's own record (the sandbox's charge row: an outside system in the design), its commit;
-- (2) the attempt, the provider's reference and the key's stored answer, one commit.
-- Nothing is read back: the answer is rendered from what the statements returned.
SELECT nextval('bench_seq') AS n \gset
BEGIN;
SELECT set_config('cowrie.merchant_id', ':merchant', true);
INSERT INTO idempotency_keys (merchant_id, mode, idem_key, fingerprint, state, locked_until) VALUES (':merchant', 'test', 'pgb-' || :n, 'fp', 'in_flight', now() + interval '60 s')
  ON CONFLICT (merchant_id, mode, idem_key) DO UPDATE SET locked_until = EXCLUDED.locked_until
  WHERE idempotency_keys.state = 'in_flight' AND idempotency_keys.locked_until < now() RETURNING locked_until;
INSERT INTO payments (id, merchant_id, mode, amount, currency, status, reference, idempotency_key) VALUES ('pay_pgb_' || :n, ':merchant', 'test', 150000, 'NGN', 'requires_action', 'pgb-' || :n, 'pgb-' || :n)
  ON CONFLICT (merchant_id, mode, idempotency_key) DO NOTHING RETURNING *;
INSERT INTO events (id, merchant_id, mode, type, data) VALUES ('evt_pgb_' || :n, ':merchant', 'test', 'payment.created', '{"object":{"id":"x"}}');
INSERT INTO audit_log (actor, merchant_id, mode, action, target, status, ip) VALUES ('key_x', ':merchant', 'test', 'POST /v1/payments', 'pay_pgb_' || :n, 201, '127.0.0.1');
COMMIT;
INSERT INTO sandbox_charges (reference, merchant_ref, amount, currency, status, callback_url, secret) VALUES ('sbx_pgb_' || :n, 'pay_pgb_' || :n, 150000, 'NGN', 'pending', 'http://127.0.0.1/cb', '\x00');
BEGIN;
SELECT set_config('cowrie.merchant_id', ':merchant', true);
INSERT INTO payment_attempts (id, payment_id, connection_id, provider, operation, outcome, http_status, latency_ms) VALUES ('att_pgb_' || :n, 'pay_pgb_' || :n, ':conn', 'sandbox', 'start', 'succeeded', 201, 1) RETURNING id, created_at;
UPDATE payments SET provider = 'sandbox', connection_id = ':conn', provider_reference = 'sbx_pgb_' || :n, next_action_url = 'http://127.0.0.1/x' WHERE id = 'pay_pgb_' || :n RETURNING *;
UPDATE idempotency_keys SET state = 'done', response_status = 201, response_body = '{"id":"pay"}' WHERE merchant_id = ':merchant' AND mode = 'test' AND idem_key = 'pgb-' || :n;
COMMIT;
