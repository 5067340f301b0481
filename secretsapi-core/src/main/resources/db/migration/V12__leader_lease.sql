-- The leader's lease (io.secretsapi.storage.Leadership, design 0013): the node that holds it leads
-- the jobs one node does for all until expires_at (milliseconds by the database's clock); epoch is
-- its term, counted up by each node that takes the lease, and the fencing token every leader-only
-- write checks in its own transaction. One row, free until a node takes it. SQLite serves one node,
-- which leads without a lease: the row stays free there.
CREATE TABLE leader_lease (
  name       TEXT PRIMARY KEY,
  holder     TEXT NOT NULL,
  epoch      BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
INSERT INTO leader_lease (name, holder, epoch, expires_at) VALUES ('leader', '', 0, 0);
-- The term of the leader that signed each periodic checkpoint (0 on SQLite); NULL for one signed on
-- request (POST /audit/checkpoints), which any node may sign.
ALTER TABLE audit_checkpoints ADD COLUMN leader_epoch BIGINT;
