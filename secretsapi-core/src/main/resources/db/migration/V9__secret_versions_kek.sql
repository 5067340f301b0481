-- Which key-encryption keys wrap the store's data keys, read by index: every node checks every
-- 10 s that its KEK opens them all (io.secretsapi.BrokerCore#checkKek), one seek per distinct
-- key id instead of a scan of every version. Sealed versions have no key id; the walk skips them.
CREATE INDEX secret_versions_kek ON secret_versions (kek_key_id);
