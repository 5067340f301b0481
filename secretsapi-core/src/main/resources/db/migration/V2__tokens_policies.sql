-- Scopes, tokens, revocations, policies, signing keys, and the audit records the grants refer to.
-- ${autoinc} is an auto-incrementing BIGINT primary key in each dialect.

CREATE TABLE secret_scopes (
  secret_id     TEXT NOT NULL REFERENCES secrets (id),
  name          TEXT NOT NULL,
  operations    TEXT NOT NULL,
  upstream      TEXT NOT NULL,
  max_ttl_ms    BIGINT NOT NULL,
  max_uses      BIGINT,
  max_amount    TEXT,
  amount_field  TEXT,
  created_at    BIGINT NOT NULL,
  PRIMARY KEY (secret_id, name)
);

CREATE TABLE tokens (
  id                 TEXT PRIMARY KEY,
  parent_id          TEXT,
  root_id            TEXT NOT NULL,
  depth              INTEGER NOT NULL,
  ancestors          TEXT NOT NULL,
  secret_id          TEXT NOT NULL REFERENCES secrets (id),
  secret_version     INTEGER NOT NULL,
  scope_name         TEXT NOT NULL,
  operations         TEXT NOT NULL,
  upstream           TEXT NOT NULL,
  subject            TEXT NOT NULL,
  actor              TEXT,
  service_account_id TEXT NOT NULL,
  api_key_id         TEXT,
  environment        TEXT NOT NULL,
  issued_at          BIGINT NOT NULL,
  expires_at         BIGINT NOT NULL,
  max_uses           BIGINT,
  uses               BIGINT NOT NULL,
  max_amount         TEXT,
  amount_used        TEXT NOT NULL,
  amount_field       TEXT,
  status             TEXT NOT NULL,
  revoked_at         BIGINT,
  policy_id          TEXT NOT NULL,
  policy_version     INTEGER NOT NULL,
  policy_rule        TEXT NOT NULL,
  audit_offset       BIGINT NOT NULL
);
CREATE INDEX tokens_root ON tokens (root_id);
CREATE INDEX tokens_secret ON tokens (secret_id, status);
CREATE INDEX tokens_subject ON tokens (subject, status);

CREATE TABLE revocations (
  seq        ${autoinc},
  kind       TEXT NOT NULL,
  target     TEXT NOT NULL,
  cascade    INTEGER NOT NULL,
  revoked_at BIGINT NOT NULL,
  actor      TEXT NOT NULL,
  reason     TEXT NOT NULL
);
CREATE INDEX revocations_target ON revocations (kind, target);

CREATE TABLE policies (
  id              TEXT PRIMARY KEY,
  current_version INTEGER NOT NULL,
  updated_at      BIGINT NOT NULL
);

CREATE TABLE policy_versions (
  policy_id  TEXT NOT NULL REFERENCES policies (id),
  version    INTEGER NOT NULL,
  document   TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  PRIMARY KEY (policy_id, version)
);

CREATE TABLE signing_keys (
  kid           TEXT PRIMARY KEY,
  purpose       TEXT NOT NULL,
  public_jwk    TEXT NOT NULL,
  wrapped_key   ${blob} NOT NULL,
  ciphertext    ${blob} NOT NULL,
  kek_key_id    BIGINT NOT NULL,
  created_at    BIGINT NOT NULL,
  retired_at    BIGINT,
  publish_until BIGINT
);

CREATE TABLE audit_records (
  audit_offset ${autoinc},
  recorded_at  BIGINT NOT NULL,
  type         TEXT NOT NULL,
  actor        TEXT NOT NULL,
  subject      TEXT,
  secret_id    TEXT,
  token_id     TEXT,
  scope        TEXT,
  policy_id    TEXT,
  policy_version INTEGER,
  policy_rule  TEXT,
  decision     TEXT NOT NULL,
  reason       TEXT NOT NULL,
  environment  TEXT,
  request_id   TEXT
);
CREATE INDEX audit_records_secret ON audit_records (secret_id);
CREATE INDEX audit_records_token ON audit_records (token_id);
