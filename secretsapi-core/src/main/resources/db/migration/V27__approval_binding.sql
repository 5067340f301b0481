-- Approval binding (design 0030): an approval holds for what its approver saw. scope_digest is the
-- SHA-256 of the scope's definition when the approval was asked for (operations, upstream, limits,
-- max_ttl, creation time); a token is collected only while the scope's digest is the same.
-- decided_by_account is the service account of the approver, so that collection can check the
-- current rule still names it (by name or sa:<id>). Rows from before this migration have neither
-- and are refused at collection: the requester asks again.
ALTER TABLE approvals ADD COLUMN scope_digest TEXT;
ALTER TABLE approvals ADD COLUMN decided_by_account TEXT;
-- the pending cap per requesting principal counts these rows
CREATE INDEX approvals_requester ON approvals (account_id, requester, state);
-- the listing reads in this order
CREATE INDEX approvals_listing ON approvals (created_at, id);
