-- Every reader of the outbox (the webhook relay, the Kafka relay, GET /v1/events) takes an event's
-- data for a JSON object, and the relays claim rows in seq order: one row holding anything else
-- (written by hand, by a faulty script) would stop every relay at that row. Refuse it at the source.
-- NOT VALID: rows already there are not rescanned (Cowrie has only ever written objects), so the
-- migration is instant however large the table is; every new row is checked.
ALTER TABLE events ADD CONSTRAINT events_data_is_an_object CHECK (jsonb_typeof(data) = 'object') NOT VALID;
