-- The validation posture of each secret: the last probe of the provider with the stored key, and
-- the schedule of the next one (every_ms 0: only on demand).
CREATE TABLE secret_validations (
  secret_id     TEXT PRIMARY KEY REFERENCES secrets (id),
  status        TEXT NOT NULL,
  reason        TEXT NOT NULL,
  http_status   INTEGER,
  preset        TEXT NOT NULL,
  url           TEXT,
  checked_at    BIGINT NOT NULL,
  every_ms      BIGINT NOT NULL,
  next_check_at BIGINT
);
