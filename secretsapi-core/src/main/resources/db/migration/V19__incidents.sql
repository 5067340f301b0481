-- Incidents (io.secretsapi.incident, design 0026): the containment of one compromised secret. While
-- an incident is open, its row is the fact that blocks the secret on every node: no new grant of
-- it, and no use of a grant of a version up to through_version (the value the incident contains).
-- The row commits in the transaction that revokes the secret's grants (step 1), and announces
-- itself on the change feed.
CREATE TABLE incidents (
  id              TEXT PRIMARY KEY,
  secret_id       TEXT NOT NULL REFERENCES secrets (id),
  token_id        TEXT,
  account_id      TEXT NOT NULL,
  reason          TEXT NOT NULL,
  state           TEXT NOT NULL,
  through_version INTEGER NOT NULL,
  upstreams       TEXT NOT NULL,
  derivatives     BIGINT NOT NULL,
  opened_by       TEXT NOT NULL,
  opened_at       BIGINT NOT NULL,
  closed_by       TEXT,
  closed_at       BIGINT,
  close_note      TEXT
);
CREATE INDEX incidents_open ON incidents (state, secret_id);

-- The playbook's timeline: one row per step, with its time (ms since the incident opened), how
-- long it took, its result and the audit record it wrote.
CREATE TABLE incident_steps (
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  step        INTEGER NOT NULL,
  name        TEXT NOT NULL,
  state       TEXT NOT NULL,
  detail      TEXT NOT NULL,
  count       BIGINT NOT NULL,
  at_ms       BIGINT NOT NULL,
  took_ms     BIGINT NOT NULL,
  audit_ref   TEXT,
  PRIMARY KEY (incident_id, step)
);

-- Who held a live grant of the contained secret, and the replacement grant each was given (none
-- when the broker could not make the secret's new value).
CREATE TABLE incident_principals (
  incident_id     TEXT NOT NULL REFERENCES incidents (id),
  principal       TEXT NOT NULL,
  scope_name      TEXT NOT NULL,
  revoked         BIGINT NOT NULL,
  replacement_id  TEXT,
  PRIMARY KEY (incident_id, principal, scope_name)
);

-- One open incident per secret: two operators containing the same secret at once get one incident.
CREATE UNIQUE INDEX incidents_one_open ON incidents (secret_id) WHERE state = 'open';
