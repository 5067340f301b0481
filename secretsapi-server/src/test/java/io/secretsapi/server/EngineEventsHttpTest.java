package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.audit.AuditVerifier;
import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.events.WebhookDispatcher;
import io.secretsapi.testing.TestStore;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 22, last point of "Packages and engines": a record of a bundled secret's rotation or
 * validation names the packages bundling it and the engines bound to them, and a rotation is
 * delivered to the webhook an engine names, whatever that webhook's own filter; unbinding stops
 * both; a bad {@code webhook_id} is refused naming the field and changes nothing.
 */
class EngineEventsHttpTest {
  static final JsonMapper JSON = JsonMapper.builder().build();

  private record Setting(TestServer s, String secret, String pkg, String engine) {}

  private static TestServer server(TestStore store, ValidationHttpTest.Providers p) {
    String base = p.base();
    Map<String, String> config = new HashMap<>(WebhooksHttpTest.config());
    config.put("proxy.insecure_upstreams", base.substring("http://".length()));
    config.put("validation.base_urls", "stripe=" + base + ",openai=" + base);
    TestServer s = TestServer.start(store, config);
    Response put =
        s.root()
            .send(
                "PUT",
                "/policies/VALIDATION",
                ValidationHttpTest.VALIDATE_POLICY,
                "application/yaml");
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    return s;
  }

  /** A stripe secret with scope invoice-sync in a package, and an engine (not bound yet). */
  private static Setting setting(TestServer s, Map<String, Object> engineExtras) {
    SecretsApiClient root = s.root();
    String secret = ValidationHttpTest.secret(root, "stripe", ValidationHttpTest.GOOD);
    Response r =
        root.send(
            "POST",
            "/secrets/" + secret + "/scope",
            "{\"name\":\"invoice-sync\",\"operations\":[\"reveal\"],\"max_ttl\":\"15m\"}",
            "application/json");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    String pkg =
        root.call(
                "POST",
                "/packages",
                Map.of(
                    "name",
                    "Stripe + Cloudflare + Internal analytics",
                    "items",
                    List.of(Map.of("secret_id", secret, "scope", "invoice-sync"))))
            .get("id")
            .asString();
    return new Setting(s, secret, pkg, engine(s, "POD Engine Alpha", engineExtras));
  }

  private static String engine(TestServer s, String name, Map<String, Object> extras) {
    String sa =
        s.root().createServiceAccount("sa-" + Math.abs(name.hashCode()), name).get("id").asString();
    Map<String, Object> body = new HashMap<>(extras);
    body.put("name", name);
    body.put("service_account_id", sa);
    return s.root().call("POST", "/engines", body).get("id").asString();
  }

  private static void bind(TestServer s, String engine, String pkg) {
    s.root().call("POST", "/engines/" + engine + "/bindings", Map.of("package_id", pkg));
  }

  private static void unbind(TestServer s, String engine, String pkg) {
    s.root().call("DELETE", "/engines/" + engine + "/bindings/" + pkg, null);
  }

  private static void rotate(TestServer s, String secret, String value) {
    s.root().call("POST", "/secrets/" + secret + "/rotate", Map.of("value", value, "grace", "1m"));
  }

  /** The records of {@code secret} of the given types, oldest first. */
  private static List<JsonNode> records(TestServer s, String secret, List<String> types) {
    JsonNode items =
        s.root().call("GET", "/audit/trail?limit=1000&secret_id=" + secret, null).get("items");
    List<JsonNode> out = new java.util.ArrayList<>();
    for (JsonNode i : items) {
      JsonNode rec = i.get("record");
      String type = rec.get("type").asString();
      if (types.stream().anyMatch(t -> t.endsWith(".") ? type.startsWith(t) : type.equals(t))) {
        out.add(rec);
      }
    }
    return out;
  }

  private static List<String> ids(JsonNode rec, String name) {
    List<String> out = new java.util.ArrayList<>();
    rec.path("details").path(name).forEach(n -> out.add(n.asString()));
    return out;
  }

  private static void assertVerifiesOffline(TestServer s) {
    String export = s.root().send("GET", "/audit/export", null, null).body();
    AuditVerifier v = new AuditVerifier();
    for (String line : export.split("\n")) {
      if (!line.isEmpty()) {
        v.accept(line);
      }
    }
    AuditVerifier.Result r = v.requireAnchored();
    assertThat(r.ok()).as(r.reason()).isTrue();
    assertThat(r.records()).isGreaterThan(10);
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void rotationAndValidation_bundledSecret_recordsNameThePackageAndEngine(TestStore store)
      throws Exception {
    try (ValidationHttpTest.Providers p = new ValidationHttpTest.Providers();
        TestServer s = server(store, p)) {
      Setting t = setting(s, Map.of());
      bind(s, t.engine, t.pkg);
      String loose = ValidationHttpTest.secret(s.root(), "openai", ValidationHttpTest.GOOD);

      // the rotation engine: a generated value replaces the provider's key
      s.root()
          .call(
              "PUT",
              "/secrets/" + t.secret + "/rotation",
              Map.of("rotator", "generated", "grace", "0s"));
      s.root().call("POST", "/secrets/" + t.secret + "/rotate", Map.of("reason", "drill"));
      WebhooksHttpTest.await(() -> !records(s, t.secret, List.of("secret.rotate")).isEmpty());
      // the provider refuses the generated value: a validation failure
      JsonNode failed = ValidationHttpTest.validate(s.root(), t.secret, Map.of());
      assertThat(failed.get("status").asString()).isEqualTo("validation failed");
      rotate(s, loose, "loose-value-0123456789abcdef");
      ValidationHttpTest.validate(s.root(), loose, Map.of());

      List<JsonNode> named =
          records(
              s,
              t.secret,
              List.of("rotation.", "secret.rotate", "secret.stage", "secret.validate"));
      assertThat(named)
          .extracting(r -> r.get("type").asString())
          .contains("rotation.settings", "secret.stage", "secret.rotate", "secret.validate");
      assertThat(named).anyMatch(r -> r.get("type").asString().equals("rotation.promoted"));
      for (JsonNode r : named) {
        assertThat(ids(r, "packages")).as(r.toString()).containsExactly(t.pkg);
        assertThat(ids(r, "engines")).as(r.toString()).containsExactly(t.engine);
      }
      JsonNode validation =
          records(s, t.secret, List.of("secret.validate")).stream()
              .filter(r -> r.get("decision").asString().equals("deny"))
              .findFirst()
              .orElseThrow();
      assertThat(ids(validation, "engines")).containsExactly(t.engine);

      List<JsonNode> none = records(s, loose, List.of("secret.rotate", "secret.validate"));
      assertThat(none).hasSize(2);
      assertThat(none).allMatch(r -> !r.has("details"));
      assertThat(
              records(s, t.secret, List.of("engine.bind")).stream()
                  .noneMatch(r -> r.has("details")))
          .isTrue();
      assertVerifiesOffline(s);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void rotation_engineWebhook_deliveredOnceDespiteItsFilter_otherAccountsNot(TestStore store)
      throws Exception {
    try (ValidationHttpTest.Providers p = new ValidationHttpTest.Providers();
        TestServer s = server(store, p);
        WebhooksHttpTest.Receiver mine = new WebhooksHttpTest.Receiver();
        WebhooksHttpTest.Receiver theirs = new WebhooksHttpTest.Receiver()) {
      // the account's webhook wants policy changes only; another account's wants rotations
      JsonNode hook =
          s.root()
              .call("POST", "/webhooks", Map.of("url", mine.url(), "events", List.of("policy")));
      String hookId = hook.get("id").asString();
      byte[] secret = hook.get("secret").asString().getBytes(StandardCharsets.UTF_8);
      SecretsApiClient other = otherAccount(s);
      other.call("POST", "/webhooks", Map.of("url", theirs.url(), "events", List.of("rotation")));

      Setting t = setting(s, Map.of("webhook_id", hookId));
      assertThat(s.root().call("GET", "/engines/" + t.engine, null).get("webhook_id").asString())
          .isEqualTo(hookId);
      // a second engine naming the same webhook, set by update
      String second = engine(s, "POD Engine Beta", Map.of());
      JsonNode updated = s.root().call("PATCH", "/engines/" + second, Map.of("webhook_id", hookId));
      assertThat(updated.get("webhook_id").asString()).isEqualTo(hookId);
      bind(s, t.engine, t.pkg);
      bind(s, second, t.pkg);

      rotate(s, t.secret, "rotated-value-0123456789abcdef");
      WebhooksHttpTest.await(() -> delivered(mine).contains("secret.rotate"));
      Map<String, String> got = mine.got.get(delivered(mine).indexOf("secret.rotate"));
      JsonNode body = JSON.readTree(got.get("body"));
      assertThat(body.get("event").asString()).isEqualTo("rotation");
      JsonNode rec = body.get("record");
      assertThat(ids(rec, "engines")).containsExactlyInAnyOrder(t.engine, second);
      assertThat(ids(rec, "packages")).containsExactly(t.pkg);
      String[] parts = got.get("signature").split(",");
      long ts = Long.parseLong(parts[0].substring(2));
      assertThat(parts[1]).isEqualTo("v1=" + WebhookDispatcher.sign(secret, ts, got.get("body")));

      // after unbinding: the next rotation names no engine and notifies nobody
      unbind(s, t.engine, t.pkg);
      unbind(s, second, t.pkg);
      rotate(s, t.secret, "rotated-again-0123456789abcdef");
      List<JsonNode> rotations = records(s, t.secret, List.of("secret.rotate"));
      assertThat(rotations).hasSize(2);
      assertThat(ids(rotations.get(1), "engines")).isEmpty();
      assertThat(ids(rotations.get(1), "packages")).containsExactly(t.pkg);
      // a policy change, which the filter selects, arrives after anything before it
      Response put =
          s.root()
              .send(
                  "PUT",
                  "/policies/AFTER",
                  "rules:\n  - id: r1\n    effect: allow\n    principals: [root]\n"
                      + "    operations: ['*']\n",
                  "application/yaml");
      assertThat(put.status()).as(put.body()).isEqualTo(200);
      WebhooksHttpTest.await(
          () ->
              mine.got.stream()
                  .anyMatch(m -> m.get("body").contains("\"policy\":{\"id\":\"AFTER\"")));
      assertThat(delivered(mine))
          .as("the first rotation once, however many engines name the webhook; not the second")
          .filteredOn(type -> !type.equals("policy.change"))
          .containsExactly("secret.rotate");
      JsonNode log = s.root().call("GET", "/webhooks/" + hookId + "/deliveries", null).get("items");
      assertThat(log).extracting(d -> d.get("outcome").asString()).containsOnly("delivered");
      assertThat(theirs.got).as("another account's webhook sees none of it").isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void webhookId_unknownMalformedOrOtherAccounts_refusedNamingTheFieldChangesNothing(
      TestStore store) throws Exception {
    try (ValidationHttpTest.Providers p = new ValidationHttpTest.Providers();
        TestServer s = server(store, p);
        WebhooksHttpTest.Receiver r = new WebhooksHttpTest.Receiver()) {
      String mine =
          s.root()
              .call("POST", "/webhooks", Map.of("url", r.url(), "events", List.of("policy")))
              .get("id")
              .asString();
      String theirs =
          otherAccount(s)
              .call("POST", "/webhooks", Map.of("url", r.url(), "events", List.of("policy")))
              .get("id")
              .asString();
      Setting t = setting(s, Map.of("webhook_id", mine));
      int engines = s.root().call("GET", "/engines", null).get("items").size();
      String sa = s.root().createServiceAccount("sa-refused", "refused").get("id").asString();
      long engineRecords = engineRecords(s);
      for (String bad : List.of(theirs, "whk_000000000000", "not-a-webhook")) {
        Response patch =
            s.root()
                .send(
                    "PATCH",
                    "/engines/" + t.engine,
                    JSON.writeValueAsString(Map.of("webhook_id", bad)),
                    "application/json");
        assertThat(patch.status()).as(bad + ": " + patch.body()).isEqualTo(400);
        assertThat(JSON.readTree(patch.body()).get("field").asString()).isEqualTo("webhook_id");
        Response create =
            s.root()
                .send(
                    "POST",
                    "/engines",
                    JSON.writeValueAsString(
                        Map.of("name", "refused", "service_account_id", sa, "webhook_id", bad)),
                    "application/json");
        assertThat(create.status()).as(bad + ": " + create.body()).isEqualTo(400);
        assertThat(JSON.readTree(create.body()).get("field").asString()).isEqualTo("webhook_id");
      }
      assertThat(s.root().call("GET", "/engines/" + t.engine, null).get("webhook_id").asString())
          .isEqualTo(mine);
      assertThat(s.root().call("GET", "/engines", null).get("items").size()).isEqualTo(engines);
      assertThat(engineRecords(s)).isEqualTo(engineRecords);

      // clearing it, and deleting the webhook, leave the engine naming none
      JsonNode cleared = s.root().call("PATCH", "/engines/" + t.engine, Map.of("webhook_id", ""));
      assertThat(cleared.get("webhook_id").isNull()).isTrue();
      s.root().call("PATCH", "/engines/" + t.engine, Map.of("webhook_id", mine));
      s.root().send("DELETE", "/webhooks/" + mine, null, null);
      assertThat(s.root().call("GET", "/engines/" + t.engine, null).get("webhook_id").isNull())
          .isTrue();
    }
  }

  private static long engineRecords(TestServer s) {
    return s.auditRecords().stream().filter(x -> x.contains("\"type\":\"engine.")).count();
  }

  /** The types of the records delivered to {@code r}, in order. */
  private static List<String> delivered(WebhooksHttpTest.Receiver r) {
    return r.got.stream()
        .map(m -> JSON.readTree(m.get("body")).get("record").get("type").asString())
        .toList();
  }

  /** A key of another service account that may create webhooks. */
  private static SecretsApiClient otherAccount(TestServer s) {
    String sa = s.root().createServiceAccount("other-tenant", "Other tenant").get("id").asString();
    String key =
        s.root()
            .createApiKey(
                Map.of(
                    "service_account_id",
                    sa,
                    "name",
                    "other",
                    "scopes",
                    List.of("events:read", "policies:write")))
            .get("key")
            .asString();
    return s.root().withKey(key);
  }
}
