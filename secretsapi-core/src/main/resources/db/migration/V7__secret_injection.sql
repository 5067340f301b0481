-- Where the proxy injects a secret's value when the secret says (io.secretsapi.proxy.Injection):
-- header, basic or query; the header or parameter name; the template around {value}. NULL in
-- inject_in: the provider's preset.
ALTER TABLE secrets ADD COLUMN inject_in TEXT;
ALTER TABLE secrets ADD COLUMN inject_name TEXT;
ALTER TABLE secrets ADD COLUMN inject_template TEXT;
