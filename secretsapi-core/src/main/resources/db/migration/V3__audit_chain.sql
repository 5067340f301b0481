-- The audit trail becomes a hash chain: each record is stored in RFC 8785 canonical form, names
-- the leaf hash of the record before it, and has its own leaf hash (RFC 9162: SHA-256 of 0x00 and
-- the record). Offsets are assigned by the broker under the chain head's lock: gap-free.
ALTER TABLE audit_records ADD COLUMN record TEXT;
ALTER TABLE audit_records ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_records ADD COLUMN leaf_hash TEXT;
${audit_offset_by_default}

CREATE TABLE audit_head (
  id          INTEGER PRIMARY KEY,
  last_offset BIGINT NOT NULL,
  last_hash   TEXT NOT NULL
);
INSERT INTO audit_head (id, last_offset, last_hash)
  VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
