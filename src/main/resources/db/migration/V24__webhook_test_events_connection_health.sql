-- A delivery carries its event (V16), so it no longer needs a row in `events`: the dashboard's
-- "Send a test event" (webhook_endpoint.test) is delivered to one endpoint, signed and logged like
-- any other, yet is not a business event, so it is never stored in `events`, relayed or fanned out.
ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_event_id_fkey;

-- The dashboard's Providers page reads each connection's calls of the last hour (payments/ConnectionHealth).
CREATE INDEX payment_attempts_by_connection ON payment_attempts (connection_id, created_at);
