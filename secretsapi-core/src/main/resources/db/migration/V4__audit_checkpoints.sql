-- Signed checkpoints of the audit trail: the Merkle tree head over the first tree_size records,
-- signed (JWS, EdDSA) with the audit key, which is separate from the token key.
CREATE TABLE audit_checkpoints (
  tree_size  BIGINT PRIMARY KEY,
  root_hash  TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  kid        TEXT NOT NULL,
  jws        TEXT NOT NULL
);
