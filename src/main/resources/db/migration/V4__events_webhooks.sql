-- Merchant webhook endpoints, one delivery per (endpoint, event), and every attempt made.

CREATE TABLE webhook_endpoints (
  id          text PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants(id),
  mode        text NOT NULL CHECK (mode IN ('test', 'live')),
  url         text NOT NULL CHECK (length(url) BETWEEN 8 AND 2048),
  events      text[] NOT NULL CHECK (cardinality(events) BETWEEN 1 AND 32),
  secret_enc  bytea NOT NULL,               -- AES-GCM (master key) of the whsec_ secret; shown once
  description text CHECK (length(description) <= 500),
  enabled     boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  deleted_at  timestamptz
);
CREATE INDEX webhook_endpoints_by_merchant ON webhook_endpoints (merchant_id, mode, id) WHERE deleted_at IS NULL;

-- A delivery is due when pending and next_attempt_at has passed. A dispatcher leases it by moving
-- next_attempt_at forward (timeout + margin) before calling out, so a crashed node's lease expires
-- and any node takes the delivery up again.
CREATE TABLE webhook_deliveries (
  id              text PRIMARY KEY,
  merchant_id     text NOT NULL,
  mode            text NOT NULL CHECK (mode IN ('test', 'live')),
  endpoint_id     text NOT NULL REFERENCES webhook_endpoints(id),
  event_id        text NOT NULL REFERENCES events(id),
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  attempts_max    integer NOT NULL CHECK (attempts_max >= 1),
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_status     integer,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  delivered_at    timestamptz,
  UNIQUE (endpoint_id, event_id)            -- an event relayed twice still has one delivery
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_due_by_endpoint ON webhook_deliveries (endpoint_id, next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, id);
CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (event_id);

CREATE TABLE webhook_attempts (
  id            bigserial PRIMARY KEY,
  delivery_id   text NOT NULL REFERENCES webhook_deliveries(id),
  attempted_at  timestamptz NOT NULL DEFAULT now(),
  status_code   integer,                    -- null when no answer (timeout, refused, guard)
  latency_ms    integer NOT NULL CHECK (latency_ms >= 0),
  response_body text CHECK (length(response_body) <= 1024),
  error         text CHECK (length(error) <= 500)
);
CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts (delivery_id, id);
