-- pgbench: the one transaction a wallet transfer needs (the yardstick of transfers.sh), on tables of
-- the raw schema that transfers.sh makes, shaped like ours: the tenant setting, the Idempotency-Key's
-- claim, the journal entry, the sender's shards locked and checked, one shard each side, two
-- postings, the transfer row, its event, the audit row and the key's stored answer. Accounts are
-- locked in id order, as the ledger does. transfers.sh runs a copy with b = 0 for the hot wallet.
\set a random(1, 1000)
\set b random(1, 1000)
\set s random(0, 3)
\set amount random(1, 100)
BEGIN;
SELECT set_config('cowrie.merchant_id', 'mer_bench', true);
INSERT INTO raw.idempotency_keys (idem_key, state, locked_until) VALUES (md5(random()::text), 'in_flight', now() + interval '60 s')
  ON CONFLICT (idem_key) DO NOTHING RETURNING idem_key AS idem \gset
INSERT INTO raw.entries (kind, reference) VALUES ('transfer', md5(random()::text)) RETURNING id AS entry \gset
\if :a < :b
SELECT sum(balance) FROM (SELECT balance FROM raw.balances WHERE account = :a ORDER BY shard FOR UPDATE) locked;
UPDATE raw.balances SET balance = balance - :amount WHERE account = :a AND shard = 0;
UPDATE raw.balances SET balance = balance + :amount WHERE account = :b AND shard = :s;
\else
UPDATE raw.balances SET balance = balance + :amount WHERE account = :b AND shard = :s;
SELECT sum(balance) FROM (SELECT balance FROM raw.balances WHERE account = :a ORDER BY shard FOR UPDATE) locked;
UPDATE raw.balances SET balance = balance - :amount WHERE account = :a AND shard = 0;
\endif
INSERT INTO raw.postings (entry_id, account, amount) VALUES (:entry, :a, -:amount), (:entry, :b, :amount);
INSERT INTO raw.transfers (sender, recipient, amount, entry_id) VALUES (:a, :b, :amount, :entry);
INSERT INTO raw.events (type, data) VALUES ('transfer.completed', jsonb_build_object('sender', :a, 'recipient', :b, 'amount', :amount));
INSERT INTO raw.audit_log (actor, action, target, status) VALUES ('usr_' || :a, 'POST /v1/transfers', :entry, 201);
UPDATE raw.idempotency_keys SET state = 'done', response_status = 201, response_body = '{"object":"transfer"}' WHERE idem_key = ':idem';
COMMIT;
