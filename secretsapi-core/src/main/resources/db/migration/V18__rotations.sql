-- The rotation engine (design 0025): per-secret rotation settings, and the ROT- queue.

-- How a secret is rotated: its rotator and that rotator's settings, its grace window and its
-- schedule. No value is kept here: the PostgreSQL rotator's admin password is another secret of
-- the vault, named by id.
CREATE TABLE rotation_settings (
  secret_id       TEXT PRIMARY KEY REFERENCES secrets (id),
  rotator         TEXT NOT NULL,
  grace_ms        BIGINT NOT NULL,
  every_ms        BIGINT NOT NULL,
  next_due_at     BIGINT,
  length          INTEGER,
  alphabet        TEXT,
  webhook_url     TEXT,
  timeout_ms      BIGINT NOT NULL,
  pg_url          TEXT,
  pg_roles        TEXT,
  pg_admin_secret TEXT,
  requested_by    TEXT NOT NULL,
  updated_at      BIGINT NOT NULL
);
CREATE INDEX rotation_settings_due ON rotation_settings (next_due_at);

-- One rotation: queued -> pending -> validated -> promoted -> previous -> sealed, or failed.
-- Each transition is one transaction that also writes its audit record.
CREATE TABLE rotations (
  id              TEXT PRIMARY KEY,
  secret_id       TEXT NOT NULL REFERENCES secrets (id),
  account_id      TEXT NOT NULL,
  trigger_kind    TEXT NOT NULL,
  reason          TEXT NOT NULL,
  requested_by    TEXT NOT NULL,
  idempotency_key TEXT,
  rotator         TEXT NOT NULL,
  state           TEXT NOT NULL,
  from_version    INTEGER,
  to_version      INTEGER,
  grace_ms        BIGINT NOT NULL,
  grace_until     BIGINT,
  failure         TEXT,
  attempts        INTEGER NOT NULL,
  due_at          BIGINT NOT NULL,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX rotations_idempotency ON rotations (secret_id, idempotency_key);
CREATE INDEX rotations_due ON rotations (state, due_at);
CREATE INDEX rotations_secret ON rotations (secret_id, created_at);
CREATE INDEX rotations_created ON rotations (created_at, id);
