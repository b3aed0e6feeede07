-- A started attempt keeps where the provider's checkout is (redirect_url) and the provider's reference,
-- so a hosted checkout whose customer switches providers and comes back reuses that checkout instead
-- of starting it again (PaymentsVerticle.routeTo).
ALTER TABLE payment_attempts ADD COLUMN redirect_url text;
ALTER TABLE payment_attempts ADD COLUMN provider_reference text;
