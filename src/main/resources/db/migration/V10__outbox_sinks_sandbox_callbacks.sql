-- Each sink advances over the outbox on its own. The webhook/live-stream relay keeps
-- events.relayed_at; Kafka has its own queue of rows it still owes, filled by a trigger in the
-- transaction that writes the event (so nothing bypasses it) and emptied as the broker
-- acknowledges. Its row locks never touch events' rows, so a Kafka pass waiting on a broker
-- never holds up the webhook relay's claim.
CREATE TABLE kafka_outbox (
  seq bigint PRIMARY KEY REFERENCES events(seq)
);

CREATE FUNCTION queue_event_for_kafka() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO kafka_outbox (seq) VALUES (NEW.seq);
  RETURN NEW;
END $$;

CREATE TRIGGER events_queue_for_kafka AFTER INSERT ON events
  FOR EACH ROW EXECUTE FUNCTION queue_event_for_kafka();

-- Rows not yet relayed when this runs were not on the topic yet either.
INSERT INTO kafka_outbox (seq) SELECT seq FROM events WHERE relayed_at IS NULL;

-- The sandbox provider's outbound callbacks, owed to Cowrie: written in the transaction that
-- settles the sandbox charge, so a crash right after checkout loses none; sent by any node
-- (claimed FOR UPDATE SKIP LOCKED), retried with backoff, deleted once answered 2xx.
CREATE TABLE sandbox_callbacks (
  id              bigserial PRIMARY KEY,
  charge_ref      text NOT NULL REFERENCES sandbox_charges(reference),
  body            jsonb NOT NULL,
  attempts        int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sandbox_callbacks_due ON sandbox_callbacks (next_attempt_at);
