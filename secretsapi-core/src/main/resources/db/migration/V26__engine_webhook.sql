-- An engine may name a webhook of its account to notify (design 0034): a rotation record naming
-- the engine is delivered to it whatever the webhook's own event filter says. Cleared when the
-- webhook is deleted.
ALTER TABLE engines ADD COLUMN webhook_id TEXT;
