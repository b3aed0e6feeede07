-- A sandbox charge belongs to the sandbox connection whose secret created it: the sandbox calls back
-- only that connection's own callback URL (never an address the caller chose), and settles nothing
-- of live mode. Charges made before this column existed keep NULL.
ALTER TABLE sandbox_charges ADD COLUMN connection_id text REFERENCES provider_connections (id);
