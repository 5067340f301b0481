-- A service account can be revoked: its keys are revoked with it (and every grant made with them,
-- through a revocation row per key), no key can be made for it again, and it stays listed with
-- the time it was revoked.
ALTER TABLE service_accounts ADD COLUMN revoked_at BIGINT;
