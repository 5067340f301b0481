-- A rotation schedule may be a cron expression (five fields, UTC) instead of a period
-- (io.secretsapi.rotation.Schedule). At most one of every_ms (non-zero) and cron is set.
ALTER TABLE rotation_settings ADD COLUMN cron TEXT;
