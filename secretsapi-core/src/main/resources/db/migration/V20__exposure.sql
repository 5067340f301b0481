-- Exposure scoring (io.secretsapi.exposure, design 0027).
-- Thresholds an operator sets per secret, per resource class or per policy; the most specific
-- applies (secret, then policy, then resource class, then the configured default).
CREATE TABLE exposure_thresholds (
  target_kind TEXT NOT NULL,
  target      TEXT NOT NULL,
  threshold   DOUBLE PRECISION NOT NULL,
  action      TEXT NOT NULL,
  updated_at  BIGINT NOT NULL,
  PRIMARY KEY (target_kind, target)
);
-- Whether a secret's score is above its threshold: the crossing from below to above is one
-- conditional update, so that a crossing acts once, whichever node sees it, across restarts.
CREATE TABLE exposure_state (
  secret_id  TEXT PRIMARY KEY,
  above      INTEGER NOT NULL,
  score      DOUBLE PRECISION NOT NULL,
  crossings  BIGINT NOT NULL,
  changed_at BIGINT NOT NULL
);
-- A secret's score over time: a sample when it moves by 0.05 or more, or crosses a threshold.
CREATE TABLE exposure_history (
  secret_id   TEXT NOT NULL,
  recorded_at BIGINT NOT NULL,
  score       DOUBLE PRECISION NOT NULL,
  delta       DOUBLE PRECISION NOT NULL,
  factors     TEXT NOT NULL,
  node        TEXT NOT NULL
);
CREATE INDEX exposure_history_secret ON exposure_history (secret_id, recorded_at);
