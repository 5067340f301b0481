-- Webhook subscriptions: deliveries of audit events of the listed families or types to a URL,
-- signed with HMAC-SHA256 under a per-subscription secret (kept sealed in vault_keys under
-- "webhook:<id>", so KEK rotation re-wraps it). cursor is the last audit offset handled.
CREATE TABLE webhooks (
  id          TEXT PRIMARY KEY,
  account_id  TEXT NOT NULL REFERENCES service_accounts (id),
  principal   TEXT NOT NULL,
  admin       INTEGER NOT NULL,
  url         TEXT NOT NULL,
  events      TEXT NOT NULL,
  status      TEXT NOT NULL,
  cursor      BIGINT NOT NULL,
  created_at  BIGINT NOT NULL
);

-- One row per delivery attempt: the delivery log.
CREATE TABLE webhook_deliveries (
  id           ${autoinc},
  webhook_id   TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  audit_offset BIGINT NOT NULL,
  attempt      INTEGER NOT NULL,
  outcome      TEXT NOT NULL,
  http_status  INTEGER,
  error        TEXT,
  duration_ms  BIGINT NOT NULL,
  at           BIGINT NOT NULL
);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries (webhook_id, id);
