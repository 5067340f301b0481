-- Listings at scale (design 0023): every page of GET /tokens, /secrets and /audit/trail is one
-- keyset read that starts where the cursor left off, on an index whose leading columns are the
-- page's one driving filter and whose next columns are the page's sort, ending in the unique id as
-- tie-breaker. A page then reads about as many index entries as it shows, at any depth.

-- Tokens: newest first (issued_at DESC, id). tokens_secret and tokens_subject led with status,
-- which no listing sorts by; their replacements serve the revocation sweeps as well.
DROP INDEX tokens_secret;
DROP INDEX tokens_subject;
-- Each ends with status and expires_at, which the status and expiry filters test: in the index,
-- before any row is read (SQLite defers the row; PostgreSQL checks them as index conditions).
CREATE INDEX tokens_issued ON tokens (issued_at DESC, id, status, expires_at);
CREATE INDEX tokens_secret_issued ON tokens (secret_id, issued_at DESC, id, status, expires_at);
CREATE INDEX tokens_subject_issued ON tokens (subject, issued_at DESC, id, status, expires_at);
CREATE INDEX tokens_actor_issued ON tokens (actor, issued_at DESC, id, status, expires_at) WHERE actor IS NOT NULL;
CREATE INDEX tokens_status_issued ON tokens (status, issued_at DESC, id, expires_at);
CREATE INDEX tokens_account_issued ON tokens (service_account_id, issued_at DESC, id, status, expires_at);
-- The account that owns the token's secret, which never changes: an account sees the tokens it
-- issued and the tokens of its secrets, each side then one index range instead of a join.
ALTER TABLE tokens ADD COLUMN secret_account_id TEXT;
UPDATE tokens SET secret_account_id = (SELECT s.account_id FROM secrets s WHERE s.id = tokens.secret_id);
CREATE INDEX tokens_secret_account_issued ON tokens (secret_account_id, issued_at DESC, id, status, expires_at);

-- Secrets: by last access (never accessed last, as -1), by name, or newest first; the console's
-- filters (resource class, environment, provider, owner) and an account's own secrets each lead an
-- index in the default order. secrets_listing left never-accessed secrets unordered by name.
DROP INDEX secrets_listing;
CREATE INDEX secrets_access ON secrets (status, (COALESCE(last_accessed_at, -1)) DESC, name, id);
CREATE INDEX secrets_name ON secrets (status, name, id);
CREATE INDEX secrets_created ON secrets (status, created_at DESC, id);
CREATE INDEX secrets_class_access ON secrets (status, resource_class, (COALESCE(last_accessed_at, -1)) DESC, name, id);
-- The console's pair (scope and environment) together: its page and its count read only matches.
CREATE INDEX secrets_class_env_access ON secrets (status, resource_class, environment, (COALESCE(last_accessed_at, -1)) DESC, name, id);
CREATE INDEX secrets_env_access ON secrets (status, environment, (COALESCE(last_accessed_at, -1)) DESC, name, id);
CREATE INDEX secrets_provider_access ON secrets (status, provider, (COALESCE(last_accessed_at, -1)) DESC, name, id);
CREATE INDEX secrets_owner_access ON secrets (status, owner, (COALESCE(last_accessed_at, -1)) DESC, name, id);
CREATE INDEX secrets_account_access ON secrets (account_id, status, (COALESCE(last_accessed_at, -1)) DESC, name, id);

-- Audit records: oldest first by offset. On PostgreSQL an index on (secret_id) alone is not in
-- offset order (SQLite's carries the rowid, the offset); principals and types had no index.
DROP INDEX audit_records_secret;
DROP INDEX audit_records_token;
CREATE INDEX audit_records_secret ON audit_records (secret_id, audit_offset);
CREATE INDEX audit_records_token ON audit_records (token_id, audit_offset);
CREATE INDEX audit_records_actor ON audit_records (actor, audit_offset);
CREATE INDEX audit_records_subject ON audit_records (subject, audit_offset);
CREATE INDEX audit_records_type ON audit_records (type, audit_offset);
