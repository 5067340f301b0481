-- The resource topology (io.secretsapi.topology, design 0028): trust zones an operator assigns
-- resources (upstream hosts) to. A resource is in at most one zone: its host is the key of the
-- assignment. Resources no operator assigned are listed under "unassigned"; nothing is stored
-- for them.
CREATE TABLE topology_zones (
  name        TEXT PRIMARY KEY,
  description TEXT NOT NULL,
  updated_by  TEXT NOT NULL,
  updated_at  BIGINT NOT NULL
);

CREATE TABLE topology_zone_resources (
  resource    TEXT PRIMARY KEY,
  zone        TEXT NOT NULL REFERENCES topology_zones (name),
  assigned_at BIGINT NOT NULL
);
CREATE INDEX topology_zone_resources_zone ON topology_zone_resources (zone, resource);
