-- Issue 9: money that must not go missing.

-- A provider event stored but not applied (a crash between the two) is applied again on the
-- provider's retry or by the sweep, which re-verifies it with the headers it came with, as of
-- the time it arrived. sweep_claimed_at lets several gateways share the sweep.
ALTER TABLE provider_events ADD COLUMN headers jsonb, ADD COLUMN sweep_claimed_at timestamptz;
CREATE INDEX provider_events_unapplied ON provider_events (received_at) WHERE status = 'received';
