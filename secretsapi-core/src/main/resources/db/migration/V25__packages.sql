-- Service packages and engines (io.secretsapi.pkg, design 0031). A package bundles scopes of
-- secrets of one account; an engine is a deployed workload whose principals are one service
-- account's; a binding grants the engine's principals the package's scopes through the
-- generated policy set engine-<engine id>, whose version at the binding is recorded.
CREATE TABLE service_packages (
  id          TEXT PRIMARY KEY,
  account_id  TEXT NOT NULL,
  name        TEXT NOT NULL,
  tier        TEXT NOT NULL,
  review_lane TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL,
  UNIQUE (account_id, name)
);

CREATE TABLE package_items (
  package_id TEXT NOT NULL REFERENCES service_packages (id),
  secret_id  TEXT NOT NULL REFERENCES secrets (id),
  scope      TEXT NOT NULL,
  PRIMARY KEY (package_id, secret_id, scope)
);
CREATE INDEX package_items_secret ON package_items (secret_id);

CREATE TABLE engines (
  id                 TEXT PRIMARY KEY,
  account_id         TEXT NOT NULL,
  name               TEXT NOT NULL,
  plan               TEXT NOT NULL,
  placement          TEXT NOT NULL,
  slots_used         INTEGER NOT NULL,
  slots_total        INTEGER NOT NULL,
  frontend_state     TEXT NOT NULL,
  admin_state        TEXT NOT NULL,
  release            TEXT NOT NULL,
  service_account_id TEXT NOT NULL,
  created_by         TEXT NOT NULL,
  created_at         BIGINT NOT NULL,
  UNIQUE (account_id, name)
);

CREATE TABLE engine_bindings (
  engine_id      TEXT NOT NULL REFERENCES engines (id),
  package_id     TEXT NOT NULL REFERENCES service_packages (id),
  policy_id      TEXT NOT NULL,
  policy_version INTEGER NOT NULL,
  bound_at       BIGINT NOT NULL,
  bound_by       TEXT NOT NULL,
  PRIMARY KEY (engine_id, package_id)
);
CREATE INDEX engine_bindings_package ON engine_bindings (package_id);
