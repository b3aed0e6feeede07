-- Tenant walls in the database: PostgreSQL row-level security as a second wall behind the
-- application's own `WHERE merchant_id = …`.
--
-- Two login roles, cluster-wide (created once, tolerated when they exist: many schemas of one
-- database run this migration, sometimes concurrently):
--   ${app_role}    the gateway's request paths. Owns nothing, cannot bypass RLS: it sees and
--                  writes only rows of the tenant its transaction set with
--                  `SELECT set_config('cowrie.merchant_id', $1, true)` (store/Tenancy).
--                  No tenant set: it sees nothing.
--   ${system_role} cross-tenant workers (outbox relay, webhook dispatcher, reconcilers, sweeps,
--                  CLI, authentication lookups before the merchant is known). BYPASSRLS.
-- Tables stay owned by the migrating user. Passwords, when the server wants them, are set by the
-- operator (`ALTER ROLE cowrie_app PASSWORD …`) and given to Cowrie through the environment.
--
-- Adding a merchant-owned table later: give it a `merchant_id` column and call
--   SELECT tenant_wall('my_table');
-- in the same migration (a table owned through its parent gets the column too, filled by a
-- trigger like tenant_from_payment below). RowLevelSecurityTest fails for any table that is
-- neither walled nor listed there as tenant-free.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${app_role}') THEN
    CREATE ROLE ${app_role} LOGIN NOBYPASSRLS;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- created by a concurrent migration
END $$;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${system_role}') THEN
    CREATE ROLE ${system_role} LOGIN BYPASSRLS;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

GRANT USAGE ON SCHEMA "${flyway:defaultSchema}" TO ${app_role}, ${system_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "${flyway:defaultSchema}" TO ${app_role}, ${system_role};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "${flyway:defaultSchema}" TO ${app_role}, ${system_role};
REVOKE ALL ON TABLE "${flyway:defaultSchema}"."${flyway:table}" FROM ${app_role}, ${system_role};
-- Tables and sequences later migrations create are granted the same way.
ALTER DEFAULT PRIVILEGES IN SCHEMA "${flyway:defaultSchema}"
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app_role}, ${system_role};
ALTER DEFAULT PRIVILEGES IN SCHEMA "${flyway:defaultSchema}"
  GRANT USAGE, SELECT ON SEQUENCES TO ${app_role}, ${system_role};

-- The wall for a table that carries merchant_id: FORCE so even an owner-connected session is
-- subject to it (superusers and BYPASSRLS roles are not).
CREATE FUNCTION tenant_wall(target text) RETURNS void AS $$
BEGIN
  EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', target);
  EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', target);
  EXECUTE format('DROP POLICY IF EXISTS tenant ON %I', target);
  EXECUTE format($p$CREATE POLICY tenant ON %I
      USING (merchant_id = current_setting('cowrie.merchant_id', true))
      WITH CHECK (merchant_id = current_setting('cowrie.merchant_id', true))$p$, target);
END $$ LANGUAGE plpgsql;
REVOKE EXECUTE ON FUNCTION tenant_wall(text) FROM PUBLIC;

-- Balance shards carry their account's merchant: the hottest rows of the ledger get the plain
-- column policy (no probe of the account per update), and a shard row created in the same
-- statement as its account (Ledger.createOrFind) passes the check, which a sub-select could not see.
ALTER TABLE ledger_balances ADD COLUMN merchant_id text;
UPDATE ledger_balances b SET merchant_id = a.merchant_id FROM ledger_accounts a WHERE a.id = b.account_id;
ALTER TABLE ledger_balances ALTER COLUMN merchant_id SET NOT NULL;

-- Rows owned through their parent carry the parent's merchant too, filled on insert from the
-- parent's row (visible only to its own tenant on the app role, so a child of another tenant's
-- parent gets no merchant and is refused). A policy that probed the parent instead was planned as
-- a hash of all the merchant's parents per query: a plain column keeps every policy an index match.
CREATE FUNCTION tenant_from_payment() RETURNS trigger AS $$
BEGIN NEW.merchant_id := (SELECT merchant_id FROM payments WHERE id = NEW.payment_id); RETURN NEW; END $$ LANGUAGE plpgsql;
CREATE FUNCTION tenant_from_entry() RETURNS trigger AS $$
BEGIN NEW.merchant_id := (SELECT merchant_id FROM journal_entries WHERE id = NEW.entry_id); RETURN NEW; END $$ LANGUAGE plpgsql;
CREATE FUNCTION tenant_from_user() RETURNS trigger AS $$
BEGIN NEW.merchant_id := (SELECT merchant_id FROM users WHERE id = NEW.user_id); RETURN NEW; END $$ LANGUAGE plpgsql;
CREATE FUNCTION tenant_from_delivery() RETURNS trigger AS $$
BEGIN NEW.merchant_id := (SELECT merchant_id FROM webhook_deliveries WHERE id = NEW.delivery_id); RETURN NEW; END $$ LANGUAGE plpgsql;

ALTER TABLE payment_attempts ADD COLUMN merchant_id text;
UPDATE payment_attempts c SET merchant_id = p.merchant_id FROM payments p WHERE p.id = c.payment_id;
ALTER TABLE payment_attempts ALTER COLUMN merchant_id SET NOT NULL;
CREATE TRIGGER tenant BEFORE INSERT ON payment_attempts FOR EACH ROW EXECUTE FUNCTION tenant_from_payment();

ALTER TABLE postings ADD COLUMN merchant_id text;
UPDATE postings c SET merchant_id = e.merchant_id FROM journal_entries e WHERE e.id = c.entry_id;
ALTER TABLE postings ALTER COLUMN merchant_id SET NOT NULL;
CREATE TRIGGER tenant BEFORE INSERT ON postings FOR EACH ROW EXECUTE FUNCTION tenant_from_entry();

ALTER TABLE refresh_tokens ADD COLUMN merchant_id text;
UPDATE refresh_tokens c SET merchant_id = u.merchant_id FROM users u WHERE u.id = c.user_id;
ALTER TABLE refresh_tokens ALTER COLUMN merchant_id SET NOT NULL;
CREATE TRIGGER tenant BEFORE INSERT ON refresh_tokens FOR EACH ROW EXECUTE FUNCTION tenant_from_user();

ALTER TABLE webhook_attempts ADD COLUMN merchant_id text;
UPDATE webhook_attempts c SET merchant_id = d.merchant_id FROM webhook_deliveries d WHERE d.id = c.delivery_id;
ALTER TABLE webhook_attempts ALTER COLUMN merchant_id SET NOT NULL;
CREATE TRIGGER tenant BEFORE INSERT ON webhook_attempts FOR EACH ROW EXECUTE FUNCTION tenant_from_delivery();

-- Every table that has a merchant_id column now (V1..V12 and the children above), so none is forgotten.
DO $$
DECLARE
  walled record;
BEGIN
  FOR walled IN
    SELECT c.table_name FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE c.table_schema = current_schema() AND c.column_name = 'merchant_id' AND t.table_type = 'BASE TABLE'
  LOOP
    PERFORM tenant_wall(walled.table_name);
  END LOOP;
END $$;

-- The merchant row itself: a tenant sees its own.
ALTER TABLE merchants ENABLE ROW LEVEL SECURITY;
ALTER TABLE merchants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON merchants
  USING (id = current_setting('cowrie.merchant_id', true))
  WITH CHECK (id = current_setting('cowrie.merchant_id', true));
