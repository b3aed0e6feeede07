-- Each delivery keeps the event as the relay handed it over (json: the bytes signed and sent, key
-- order kept), so the webhooks area reads no table of the events area: events owns `events`, and
-- reaches webhooks through the relay's fan-out (EventFanOut) and the bus.
ALTER TABLE webhook_deliveries ADD COLUMN event json;

UPDATE webhook_deliveries d SET event = json_build_object(
    'id', e.id, 'object', 'event', 'type', e.type, 'merchant', e.merchant_id, 'livemode', e.mode = 'live',
    'created_at', regexp_replace(to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), '\.000Z$', 'Z'),
    'data', e.data)
  FROM events e WHERE e.id = d.event_id;

ALTER TABLE webhook_deliveries ALTER COLUMN event SET NOT NULL;
