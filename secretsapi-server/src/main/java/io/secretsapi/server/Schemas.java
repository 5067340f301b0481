package io.secretsapi.server;

import static io.secretsapi.server.JsonSchema.array;
import static io.secretsapi.server.JsonSchema.bool;
import static io.secretsapi.server.JsonSchema.integer;
import static io.secretsapi.server.JsonSchema.object;
import static io.secretsapi.server.JsonSchema.oneOfStrings;
import static io.secretsapi.server.JsonSchema.openObject;
import static io.secretsapi.server.JsonSchema.ref;
import static io.secretsapi.server.JsonSchema.string;
import static io.secretsapi.server.JsonSchema.strings;
import static io.secretsapi.server.JsonSchema.time;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The named shapes the API answers with, shared by several routes ({@code components/schemas}). A
 * route names its answer where it is registered; a shape used by one route only may be declared
 * there instead.
 */
final class Schemas {
  private Schemas() {}

  static final Map<String, Object> OPERATIONS = array(oneOfStrings("proxy", "reveal", "derive"));

  /** Every named schema, by name. */
  static Map<String, Object> components() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("Problem", problem());
    c.put("PolicyRef", policyRef());
    c.put("Upstream", upstream());
    c.put("Injection", injection());
    c.put("Secret", secret());
    c.put("SecretVersion", secretVersion());
    c.put("SecretScope", secretScope());
    c.put("IssuedToken", issuedToken());
    c.put("Grant", grant());
    c.put("LineageNode", lineageNode());
    c.put("ServiceAccount", serviceAccount());
    c.put("ApiKey", apiKey());
    c.put("IssuedApiKey", issuedApiKey());
    c.put("PolicyVersion", policyVersion());
    c.put("Checkpoint", checkpoint());
    c.put("AuditItem", auditItem());
    c.put("Event", event());
    c.put("Webhook", webhook());
    c.put("WebhookDelivery", webhookDelivery());
    c.put("Validation", validation());
    c.put("Jwks", jwks());
    c.put("Incident", IncidentRoutes.schema());
    c.put("Approval", ApprovalRoutes.schema());
    return c;
  }

  /** RFC 9457 with the broker's extension members. */
  private static Map<String, Object> problem() {
    return object()
        .description(
            "An RFC 9457 problem document. type is stable per condition; field and rule name the"
                + " input at fault; audit_ref is the record the refusal left in the trail")
        .req(
            "type",
            string("a stable URI per condition, such as " + Problem.TYPE_BASE + "validation"))
        .req("title", string())
        .req("status", integer())
        .req("detail", string("a lowercase fact; never a secret value or a credential"))
        .req("instance", string("the route template that matched, such as /secrets/{id}"))
        .opt(
            "field",
            string(
                "the input at fault: a body field (injection.in), a query parameter, or a header"))
        .opt(
            "rule",
            string("the rule it broke: required, type, enum, range, unique, unknown_field..."))
        .opt("required_scope", string("the API key scope the call needs"))
        .opt("audit_ref", string("the audit record of this refusal, such as AU-1042"))
        .opt("policy_ref", ref("PolicyRef"))
        .req("request_id", string("the X-Request-Id of the call, to find its log line"))
        .build();
  }

  private static Map<String, Object> policyRef() {
    return object().req("id", string()).req("version", integer()).req("rule", string()).build();
  }

  private static Map<String, Object> upstream() {
    return object()
        .req("hosts", strings())
        .req("methods", strings())
        .req("path_prefixes", strings())
        .build();
  }

  private static Map<String, Object> injection() {
    return object()
        .req("in", oneOfStrings("header", "basic", "query"))
        .nul("name", string())
        .nul("template", string())
        .req("source", string("secret (set on the secret) or preset (the provider's)"))
        .build();
  }

  private static Map<String, Object> secret() {
    return object()
        .description("The masked view of a secret: never its value")
        .req("id", string())
        .req("account_id", string())
        .req("name", string())
        .req("provider", string())
        .req("resource_class", string())
        .req("environment", string())
        .nul("owner", string())
        .req("tags", strings())
        .req("kind", oneOfStrings("static", "generated"))
        .req("status", oneOfStrings("active", "sealed"))
        .req("current_version", integer())
        .req("masked", string("such as cf_l...lpha"))
        .req("fingerprint", string())
        .nul("injection", ref("Injection"))
        .nul("validation_url", string())
        .req("created_at", time())
        .req("updated_at", time())
        .nul("last_accessed_at", time())
        .build();
  }

  private static Map<String, Object> secretVersion() {
    return object()
        .req("secret_id", string())
        .req("version", integer())
        .req("state", oneOfStrings("current", "pending", "previous", "sealed"))
        .req("masked", string())
        .req("fingerprint", string())
        .req("created_at", time())
        .nul("grace_until", time())
        .nul("sealed_at", time())
        .build();
  }

  private static Map<String, Object> secretScope() {
    return object()
        .req("secret_id", string())
        .req("name", string())
        .req("operations", OPERATIONS)
        .req("upstream", ref("Upstream"))
        .req("max_ttl", string("a duration such as 15m"))
        .nul("max_uses", integer())
        .nul("max_amount", string("a decimal number"))
        .nul("amount_field", string())
        .req("created_at", time())
        .build();
  }

  private static Map<String, Object> issuedToken() {
    return object()
        .req("status", oneOfStrings("scoped_token_issued", "derived_token_issued"))
        .req("token_id", string())
        .req("expires_in", string("a duration such as 15m"))
        .req("policy", JsonSchema.constant("verified"))
        .req("audit_ref", string())
        .req("token", string("the signed token (a JWT): present it to the proxy"))
        .req("expires_at", time())
        .req("scope", string())
        .req("policy_ref", ref("PolicyRef"))
        .req("subject", string())
        .nul("actor", string())
        .req("operations", OPERATIONS)
        .opt("parent_id", string("derive only"))
        .opt("access_token", string("derive only: the token again, as RFC 8693 names it"))
        .opt("issued_token_type", string("derive only"))
        .opt("token_type", string("derive only: Bearer"))
        .build();
  }

  private static Map<String, Object> grant() {
    return object()
        .req("token_id", string())
        .nul("parent_id", string())
        .req("root_id", string())
        .req("depth", integer())
        .req("ancestors", strings())
        .req("secret_id", string())
        .req("secret_version", integer())
        .req("scope", string())
        .req("operations", OPERATIONS)
        .req("upstream", ref("Upstream"))
        .req("subject", string())
        .nul("actor", string())
        .req("service_account_id", string())
        .req("environment", string())
        .req("issued_at", time())
        .req("expires_at", time())
        .nul("max_uses", integer())
        .req("uses", integer())
        .nul("max_amount", string())
        .req("amount_used", string())
        .req("status", string("active, expired or revoked"))
        .nul("revoked_at", time())
        .req("policy_ref", ref("PolicyRef"))
        .req("audit_ref", string())
        .build();
  }

  private static Map<String, Object> lineageNode() {
    return object()
        .req("token_id", string())
        .req("kind", string())
        .req("depth", integer())
        .req("subject", string())
        .req("scope", string())
        .req("operations", OPERATIONS)
        .req("status", string())
        .req("expires_at", time())
        .req("children", array(ref("LineageNode")))
        .build();
  }

  private static Map<String, Object> serviceAccount() {
    return object()
        .req("id", string())
        .req("name", string())
        .nul("description", string())
        .req("created_at", time())
        .req("status", oneOfStrings("active", "revoked"))
        .nul("revoked_at", time())
        .build();
  }

  private static JsonSchema.Obj apiKeyFields() {
    return object()
        .req("id", string())
        .req("service_account_id", string())
        .req("name", string())
        .req("scopes", strings())
        .req("status", string("active, expired or revoked"))
        .req("created_at", time())
        .nul("expires_at", time())
        .nul("revoked_at", time())
        .nul("last_used_at", time())
        .req("use_count", integer())
        .nul("replaces", string())
        .nul("replaced_by", string());
  }

  private static Map<String, Object> apiKey() {
    return apiKeyFields().description("An API key, never the key itself").build();
  }

  private static Map<String, Object> issuedApiKey() {
    return apiKeyFields()
        .description("A new API key: the key is in this answer only")
        .req("key", string("the sk_ key, shown once"))
        .req("notice", string())
        .build();
  }

  private static Map<String, Object> policyVersion() {
    return object()
        .req("id", string())
        .req("version", integer())
        .req("created_at", time())
        .req("created_by", string())
        .req("document", string("the policy set as written (YAML or JSON)"))
        .build();
  }

  private static Map<String, Object> checkpoint() {
    return object()
        .req("tree_size", integer())
        .req("root_hash", string())
        .req("time", time())
        .req("kid", string())
        .req("signature", string("a compact JWS over the tree head"))
        .build();
  }

  private static Map<String, Object> auditItem() {
    return object()
        .req("audit_ref", string())
        .req("offset", integer())
        .req("leaf_hash", string())
        .req("record", openObject("the signed audit record as stored"))
        .build();
  }

  private static Map<String, Object> event() {
    return object()
        .req("id", integer())
        .req("event", string("the event family"))
        .req("audit_ref", string())
        .req("record", openObject("the audit record"))
        .build();
  }

  private static JsonSchema.Obj webhookFields() {
    return object()
        .req("id", string())
        .req("url", string())
        .req("events", strings())
        .req("status", string())
        .req("cursor", integer())
        .req("created_at", time());
  }

  static JsonSchema.Obj createdWebhook() {
    return webhookFields()
        .req("secret", string("the signing secret, shown once"))
        .req("signature", string("how deliveries are signed"));
  }

  private static Map<String, Object> webhook() {
    return webhookFields().build();
  }

  private static Map<String, Object> webhookDelivery() {
    return object()
        .req("id", integer())
        .req("audit_ref", string())
        .req("attempt", integer())
        .req("outcome", string())
        .nul("http_status", integer())
        .nul("error", string())
        .req("duration_ms", integer())
        .req("at", time())
        .build();
  }

  private static Map<String, Object> validation() {
    return object()
        .req("secret_id", string())
        .req("status", string("healthy, rotation due, validation failed, or not validated"))
        .opt("reason", string())
        .opt("checked_at", time())
        .opt("http_status", JsonSchema.nullable(integer()))
        .opt("preset", string())
        .opt("every", JsonSchema.nullable(string()))
        .opt("next_check_at", JsonSchema.nullable(time()))
        .build();
  }

  private static Map<String, Object> jwks() {
    return object().req("keys", array(openObject("an RFC 7517 JSON Web Key"))).build();
  }

  /** A boolean, for the routes that declare one inline. */
  static Map<String, Object> flag() {
    return bool();
  }
}
