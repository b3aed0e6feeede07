-- A merchant's business details and KYC review. Live mode opens only once kyc_status is
-- 'verified' (auth/Profiles, checked where live keys, live connections and live payments start).
CREATE TABLE merchant_profiles (
  merchant_id         text PRIMARY KEY REFERENCES merchants(id),
  legal_name          text CHECK (length(legal_name) BETWEEN 1 AND 200),
  trading_name        text CHECK (length(trading_name) BETWEEN 1 AND 200),
  country             text CHECK (country ~ '^[A-Z]{2}$'),
  registration_number text CHECK (length(registration_number) BETWEEN 1 AND 100),
  address             text CHECK (length(address) BETWEEN 1 AND 500),
  website             text CHECK (length(website) BETWEEN 1 AND 500),
  support_email       text CHECK (length(support_email) BETWEEN 3 AND 320),
  kyc_status          text NOT NULL DEFAULT 'unverified'
                      CHECK (kyc_status IN ('unverified', 'submitted', 'verified', 'rejected')),
  kyc_reason          text CHECK (length(kyc_reason) BETWEEN 1 AND 1000),
  submitted_at        timestamptz,
  reviewed_at         timestamptz,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CHECK ((kyc_status = 'rejected') = (kyc_reason IS NOT NULL))
);

-- Only legal moves: unverified|rejected -> submitted -> verified|rejected.
CREATE FUNCTION kyc_transition() RETURNS trigger AS $$
BEGIN
  IF NEW.kyc_status IS DISTINCT FROM OLD.kyc_status AND NOT (
       (OLD.kyc_status IN ('unverified', 'rejected') AND NEW.kyc_status = 'submitted')
    OR (OLD.kyc_status = 'submitted' AND NEW.kyc_status IN ('verified', 'rejected'))) THEN
    RAISE EXCEPTION 'illegal kyc transition % -> %', OLD.kyc_status, NEW.kyc_status USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER kyc_transition BEFORE UPDATE ON merchant_profiles FOR EACH ROW EXECUTE FUNCTION kyc_transition();

-- Documents are kept in the database (never on a shared disk) and served back only to the
-- merchant's owners and the operator.
CREATE TABLE merchant_documents (
  id           text PRIMARY KEY,
  merchant_id  text NOT NULL REFERENCES merchants(id),
  kind         text NOT NULL CHECK (kind IN ('registration_certificate', 'proof_of_address', 'identity_document', 'other')),
  filename     text NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),
  content_type text NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg')),
  size_bytes   integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 5242880),
  content      bytea NOT NULL CHECK (length(content) = size_bytes),
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX merchant_documents_by_merchant ON merchant_documents (merchant_id, id);

SELECT tenant_wall('merchant_profiles');
SELECT tenant_wall('merchant_documents');
