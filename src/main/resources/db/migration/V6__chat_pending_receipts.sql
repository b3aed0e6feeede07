-- A chat message that pays: written before its transfer runs, removed in the transaction that
-- stores the receipt. A row left behind (crash or timeout between the two) is repaired: the
-- receipt is posted if the transfer happened, the row dropped if it did not.
CREATE TABLE chat_pending_messages (
  id              text PRIMARY KEY,
  room_id         text NOT NULL REFERENCES chat_rooms(id),
  merchant_id     text NOT NULL,
  mode            text NOT NULL,
  sender_id       text NOT NULL REFERENCES users(id),
  sender_username text NOT NULL,
  transfer_key    text NOT NULL,
  lease_until     timestamptz NOT NULL DEFAULT now() + interval '30 seconds',
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_pending_messages_due ON chat_pending_messages (lease_until);
