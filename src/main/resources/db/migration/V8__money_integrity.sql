-- Issue 9: money that must not go missing.

-- A provider event stored but not applied (a crash between the two) is applied again on the
-- provider's retry or by the sweep, which re-verifies it with the headers it came with, as of
-- the time it arrived. sweep_claimed_at lets several gateways share the sweep.
ALTER TABLE provider_events ADD COLUMN headers jsonb, ADD COLUMN sweep_claimed_at timestamptz;
CREATE INDEX provider_events_unapplied ON provider_events (received_at) WHERE status = 'received';

-- A success that arrives for a payment we no longer expect (canceled, failed) is booked and the
-- payment flagged: review_code says why (late_success), review_reason in words.
ALTER TABLE payments ADD COLUMN review_code text;

-- Cancel closes the sandbox's checkout, as a real provider's cancel would.
ALTER TABLE sandbox_charges DROP CONSTRAINT sandbox_charges_status_check;
ALTER TABLE sandbox_charges ADD CONSTRAINT sandbox_charges_status_check
  CHECK (status IN ('pending', 'processing', 'succeeded', 'failed', 'canceled'));

-- A payment whose row committed but whose provider call never happened (a crash in between) is
-- routed again: on the client's retry, or by the reconciler. It must go to the provider the
-- merchant chose, so that choice is kept.
ALTER TABLE payments ADD COLUMN requested_provider text;
CREATE INDEX payments_unrouted ON payments (updated_at) WHERE status = 'requires_action' AND connection_id IS NULL;
