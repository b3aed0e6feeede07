-- People to people: signing keys and payment requests, chat, wallet transfers.

-- The instance's Ed25519 keys for payment-request messages and certificates. The private key is
-- sealed with the master key (AES-GCM, kid as associated data); old keys stay for verification.
CREATE TABLE signing_keys (
  kid          text PRIMARY KEY,                 -- "ck" + 4 hex digits: the 2 bytes a message carries
  public_key   bytea NOT NULL CHECK (length(public_key) = 32),
  sealed_key   bytea NOT NULL,                   -- iv(12) || AES-GCM(PKCS#8 private key)
  active       boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now(),
  retired_at   timestamptz
);
-- At most one key signs at a time; nodes racing to create the first key cannot both win.
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (active) WHERE active;

CREATE TABLE payment_requests (
  id              text PRIMARY KEY,
  ref             bytea NOT NULL UNIQUE CHECK (length(ref) = 10),  -- the id's 80 random bits, as messages carry it
  merchant_id     text NOT NULL REFERENCES merchants(id),
  mode            text NOT NULL CHECK (mode IN ('test', 'live')),
  payee_user_id   text REFERENCES users(id),      -- null when the merchant itself asks
  payee           text NOT NULL,                  -- username or merchant id, as certificates name it
  room_id         text,
  amount          bigint NOT NULL CHECK (amount > 0),
  currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  description     text,
  accepts         jsonb NOT NULL,
  expires_at      timestamptz NOT NULL,
  paid_amount     bigint NOT NULL DEFAULT 0 CHECK (paid_amount >= 0),
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'partially_paid', 'paid')),
  kid             text NOT NULL REFERENCES signing_keys(kid),
  encoded_message text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'open') = (paid_amount = 0)),
  CHECK ((status = 'paid') = (paid_amount >= amount))
);
CREATE INDEX payment_requests_by_merchant ON payment_requests (merchant_id, mode, id);

-- Acknowledged confirmations: the unique nonce makes each one count once, however often posted.
CREATE TABLE payment_confirmations (
  request_id   text NOT NULL REFERENCES payment_requests(id),
  nonce        bytea NOT NULL CHECK (length(nonce) = 8),
  merchant_id  text NOT NULL,
  mode         text NOT NULL,
  paid_amount  bigint NOT NULL CHECK (paid_amount > 0),
  payer        text NOT NULL,
  proof        text,
  certificate  text NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (request_id, nonce)
);

CREATE TABLE chat_rooms (
  id          text PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants(id),
  mode        text NOT NULL CHECK (mode IN ('test', 'live')),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  created_by  text NOT NULL REFERENCES users(id),
  last_seq    bigint NOT NULL DEFAULT 0,          -- bumped under the row lock: the room's total order
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE chat_members (
  room_id     text NOT NULL REFERENCES chat_rooms(id),
  user_id     text NOT NULL REFERENCES users(id),
  username    text NOT NULL,
  merchant_id text NOT NULL,
  mode        text NOT NULL,
  joined_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (room_id, user_id)
);
CREATE INDEX chat_members_by_user ON chat_members (merchant_id, mode, user_id, room_id);

CREATE TABLE chat_messages (
  id              text PRIMARY KEY,
  room_id         text NOT NULL REFERENCES chat_rooms(id),
  seq             bigint NOT NULL,
  merchant_id     text NOT NULL,
  mode            text NOT NULL,
  sender_id       text NOT NULL REFERENCES users(id),
  sender_username text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('text', 'transfer', 'payment_request')),
  text            text CHECK (length(text) <= 4000),
  data            jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (room_id, seq)
);

CREATE TABLE transfers (
  id              text PRIMARY KEY,
  merchant_id     text NOT NULL REFERENCES merchants(id),
  mode            text NOT NULL CHECK (mode IN ('test', 'live')),
  sender_id       text NOT NULL REFERENCES users(id),
  sender          text NOT NULL,
  recipient_id    text NOT NULL REFERENCES users(id),
  recipient       text NOT NULL,
  amount          bigint NOT NULL CHECK (amount > 0),
  currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  note            text CHECK (length(note) <= 500),
  idempotency_key text,
  entry_id        text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (sender_id <> recipient_id)
);
-- The durable guard behind Idempotency-Key: a flushed Redis can never send money twice.
CREATE UNIQUE INDEX transfers_idempotency ON transfers (merchant_id, mode, sender_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX transfers_sent ON transfers (merchant_id, mode, sender_id, id);
CREATE INDEX transfers_received ON transfers (merchant_id, mode, recipient_id, id);
