-- One schema for SQLite and PostgreSQL. Times are epoch milliseconds (BIGINT);
-- ${blob} is BLOB on SQLite and BYTEA on PostgreSQL.

CREATE TABLE service_accounts (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  description TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  created_by  TEXT
);
CREATE UNIQUE INDEX service_accounts_name ON service_accounts (name);

CREATE TABLE api_keys (
  id                 TEXT PRIMARY KEY,
  service_account_id TEXT NOT NULL REFERENCES service_accounts (id),
  name               TEXT NOT NULL,
  secret_hash        ${blob} NOT NULL,
  scopes             TEXT NOT NULL,
  status             TEXT NOT NULL,
  created_at         BIGINT NOT NULL,
  expires_at         BIGINT,
  revoked_at         BIGINT,
  last_used_at       BIGINT,
  use_count          BIGINT NOT NULL,
  replaces           TEXT,
  replaced_by        TEXT
);
CREATE INDEX api_keys_account ON api_keys (service_account_id);

CREATE TABLE secrets (
  id               TEXT PRIMARY KEY,
  account_id       TEXT NOT NULL REFERENCES service_accounts (id),
  name             TEXT NOT NULL,
  provider         TEXT NOT NULL,
  resource_class   TEXT NOT NULL,
  environment      TEXT NOT NULL,
  owner            TEXT NOT NULL,
  tags             TEXT NOT NULL,
  kind             TEXT NOT NULL,
  status           TEXT NOT NULL,
  current_version  INTEGER NOT NULL,
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL,
  last_accessed_at BIGINT,
  sealed_at        BIGINT
);
CREATE UNIQUE INDEX secrets_active_name ON secrets (account_id, environment, name) WHERE status = 'active';
CREATE INDEX secrets_listing ON secrets (status, last_accessed_at);

CREATE TABLE secret_versions (
  secret_id   TEXT NOT NULL REFERENCES secrets (id),
  version     INTEGER NOT NULL,
  state       TEXT NOT NULL,
  wrapped_key ${blob},
  ciphertext  ${blob},
  kek_key_id  BIGINT,
  masked      TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  grace_until BIGINT,
  sealed_at   BIGINT,
  PRIMARY KEY (secret_id, version)
);
CREATE INDEX secret_versions_grace ON secret_versions (state, grace_until);

-- Keys of the vault itself (such as the fingerprint key), sealed by the key-encryption key.
CREATE TABLE vault_keys (
  name        TEXT PRIMARY KEY,
  wrapped_key ${blob} NOT NULL,
  ciphertext  ${blob} NOT NULL,
  kek_key_id  BIGINT NOT NULL,
  created_at  BIGINT NOT NULL
);
