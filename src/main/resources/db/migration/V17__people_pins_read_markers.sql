-- People's side: a wallet user's payment PIN and the amount above which paying needs it,
-- and each chat member's read marker.
ALTER TABLE users ADD COLUMN pin_hash text;
ALTER TABLE users ADD COLUMN pin_limit bigint NOT NULL DEFAULT 0 CHECK (pin_limit >= 0);
ALTER TABLE chat_members ADD COLUMN last_read_seq bigint NOT NULL DEFAULT 0 CHECK (last_read_seq >= 0);
