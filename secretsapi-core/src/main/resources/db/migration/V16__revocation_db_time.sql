-- The database's clock when each revocation row was written, so that another node sharing
-- PostgreSQL can measure how long the revocation took to reach it on the same clock
-- (io.secretsapi.token.RevocationIndex, secretsapi_revocation_lag_seconds). Rows written before
-- this migration, and every SQLite row (one node, no lag to measure), carry 0.
ALTER TABLE revocations ADD COLUMN db_written_ms BIGINT NOT NULL DEFAULT 0;
${revocation_db_time}
