-- Human approval (io.secretsapi.approval, design 0030): an issue request that a policy rule with
-- effect approve held back, waiting for one of the rule's approvers. The row is the request (what
-- the token would be), who may decide, and where the decision stands. Every node reads it from
-- here, so a decision made on one node is seen on all. state: pending, approved, denied, expired,
-- issued (the one token was minted; a second ask is refused).
CREATE TABLE approvals (
  id             TEXT PRIMARY KEY,
  account_id     TEXT NOT NULL,
  requester      TEXT NOT NULL,
  subject        TEXT NOT NULL,
  secret_id      TEXT NOT NULL REFERENCES secrets (id),
  scope_name     TEXT NOT NULL,
  ttl_seconds    BIGINT NOT NULL,
  operations     TEXT NOT NULL,
  environment    TEXT NOT NULL,
  policy_id      TEXT NOT NULL,
  policy_version INTEGER NOT NULL,
  policy_rule    TEXT NOT NULL,
  approvers      TEXT NOT NULL,
  state          TEXT NOT NULL,
  decided_by     TEXT,
  reason         TEXT,
  token_id       TEXT,
  created_at     BIGINT NOT NULL,
  expires_at     BIGINT NOT NULL,
  decided_at     BIGINT
);
CREATE INDEX approvals_state ON approvals (state, expires_at);
