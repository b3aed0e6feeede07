-- A delivery being called now carries its lease's end, so every node counts the calls open to an
-- endpoint (webhook.concurrency_per_endpoint holds across nodes, not per node). A crashed node's
-- leases simply run out; settling clears it.
ALTER TABLE webhook_deliveries ADD COLUMN leased_until timestamptz;
CREATE INDEX webhook_deliveries_leased_by_endpoint ON webhook_deliveries (endpoint_id, leased_until)
  WHERE status = 'pending' AND leased_until IS NOT NULL;
