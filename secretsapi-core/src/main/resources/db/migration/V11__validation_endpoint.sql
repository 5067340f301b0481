-- Where a secret's validation probe goes, when its provider has no preset or the owner wants
-- another: set only with secrets:write (PUT /secrets/{id}/validation-endpoint). Validation used to
-- take the URL from any secrets:read caller and keep it for the schedule; those URLs are dropped
-- here, with the schedules they drove, since nothing says the owner chose them. A schedule now
-- remembers who set it: each scheduled probe asks the policy gate for that principal.
ALTER TABLE secrets ADD COLUMN validation_url TEXT;
ALTER TABLE secret_validations ADD COLUMN requested_by TEXT;
UPDATE secret_validations SET url = NULL, every_ms = 0, next_check_at = NULL;
