-- The transaction that wrote each revocation row, so that nodes sharing PostgreSQL read every row
-- committed since their last read without ordering the commits (io.secretsapi.token
-- .RevocationIndex#catchUp). On PostgreSQL the default is the writing transaction's id; rows
-- written before this migration get the migration's, which no reader needs. SQLite has one
-- writer and reads by sequence: 0.
ALTER TABLE revocations ADD COLUMN xact BIGINT NOT NULL DEFAULT ${revocation_xact};
CREATE INDEX revocations_xact ON revocations (xact);
