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
-- in the same migration (a table without merchant_id, owned through its parent, gets an explicit
-- EXISTS policy like payment_attempts below). RowLevelSecurityTest fails for any table that is
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

-- Every table that has a merchant_id column now (V1..V12), so none is forgotten.
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

-- Tables owned through their parent: one primary-key probe of the parent per row (the parent's
-- own wall applies inside the sub-select too; the explicit merchant_id keeps it readable). The
-- parent row must exist before the child's statement: a CTE inserting both cannot pass the check.
ALTER TABLE payment_attempts ENABLE ROW LEVEL SECURITY;
ALTER TABLE payment_attempts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON payment_attempts USING (EXISTS (
  SELECT 1 FROM payments p WHERE p.id = payment_id AND p.merchant_id = current_setting('cowrie.merchant_id', true)));

ALTER TABLE postings ENABLE ROW LEVEL SECURITY;
ALTER TABLE postings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON postings USING (EXISTS (
  SELECT 1 FROM journal_entries e WHERE e.id = entry_id AND e.merchant_id = current_setting('cowrie.merchant_id', true)));

ALTER TABLE refresh_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE refresh_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON refresh_tokens USING (EXISTS (
  SELECT 1 FROM users u WHERE u.id = user_id AND u.merchant_id = current_setting('cowrie.merchant_id', true)));

ALTER TABLE webhook_attempts ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_attempts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON webhook_attempts USING (EXISTS (
  SELECT 1 FROM webhook_deliveries d WHERE d.id = delivery_id AND d.merchant_id = current_setting('cowrie.merchant_id', true)));
