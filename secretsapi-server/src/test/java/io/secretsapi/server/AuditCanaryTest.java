package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plants a secret value, an API key and a signed token in every field a caller controls (path,
 * query, body fields, the request id header, the Authorization header) and checks that none of them
 * appears in clear in any audit record, event, webhook-visible record, log line or export.
 */
class AuditCanaryTest {
  static final JsonMapper JSON = JsonMapper.builder().build();

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void canaries_inEveryCallerField_appearInNoRecordEventLogOrExport(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      TokensHttpTest.World w = TokensHttpTest.World.make(s);
      String secretValue = "sk-proj-CANARY-http-0123456789";
      JsonNode issued = w.issue();
      String token = issued.get("token").asString();
      String apiKey =
          s.root()
              .createApiKey(Map.of("name", "canary", "scopes", List.of("secrets:read")))
              .get("key")
              .asString();
      SecretsApiClient root = s.root();
      for (String c : List.of(secretValue, apiKey, token)) {
        String q = URLEncoder.encode(c, StandardCharsets.UTF_8);
        Map<String, String> rid = Map.of("X-Request-Id", c, "Accept", "application/json");
        String body =
            JSON.writeValueAsString(
                Map.of(
                    "secret_id", c, "scope", c, "ttl", "5m", "requested_by", c, "environment", c));
        root.send("POST", "/tokens/issue", body, "application/json", rid);
        w.agent().send("POST", "/tokens/issue", body, "application/json", rid);
        w.agent()
            .send(
                "POST",
                "/tokens/issue",
                JSON.writeValueAsString(
                    Map.of(
                        "secret_id",
                        w.secretId(),
                        "scope",
                        "model-access",
                        "ttl",
                        "5m",
                        "requested_by",
                        c,
                        "environment",
                        c)),
                "application/json",
                rid);
        root.send("GET", "/secrets/" + q, null, null, rid);
        root.send("GET", "/tokens/" + q, null, null, rid);
        root.send("GET", "/tokens/" + q + "/lineage", null, null, rid);
        root.send("GET", "/secrets?name=" + q + "&environment=" + q, null, null, rid);
        root.send("GET", "/audit/trail?principal=" + q + "&secret_id=" + q, null, null, rid);
        root.send("GET", "/access/events?principal=" + q + "&secret_id=" + q, null, null, rid);
        root.send(
            "POST",
            "/access/revoke",
            JSON.writeValueAsString(Map.of("principal", c)),
            "application/json",
            rid);
        root.send(
            "POST",
            "/tokens/introspect",
            JSON.writeValueAsString(Map.of("token", c)),
            "application/json",
            rid);
        s.anonymous()
            .send(
                "POST",
                "/tokens/resolve",
                JSON.writeValueAsString(Map.of("token", token, "secret_id", c)),
                "application/json",
                rid);
        s.anonymous()
            .send(
                "POST",
                "/tokens/derive",
                JSON.writeValueAsString(Map.of("token", c, "ttl", "1m", "scope", c)),
                "application/json",
                rid);
        root.withKey(c).send("GET", "/secrets", null, null, rid);
        root.send(
            "POST",
            "/secrets",
            JSON.writeValueAsString(
                Map.of(
                    "name",
                    "n-" + Math.abs(c.hashCode()),
                    "provider",
                    "openai",
                    "resource_class",
                    "model-access",
                    "environment",
                    "staging",
                    "owner",
                    c,
                    "value",
                    "unrelated-value-0123456789")),
            "application/json",
            rid);
        root.send(
            "POST",
            "/policies/test",
            JSON.writeValueAsString(
                Map.of("principal", c, "secret_id", c, "operation", "issue", "environment", c)),
            "application/json",
            rid);
      }

      List<String> records =
          s.server()
              .database()
              .read(
                  h ->
                      h.createQuery("SELECT record FROM audit_records ORDER BY audit_offset")
                          .mapTo(String.class)
                          .list());
      List<String> events = new ArrayList<>();
      long after = 0;
      while (true) {
        JsonNode page =
            JSON.readTree(
                root.send(
                        "GET",
                        "/access/events?limit=1000&after=" + after,
                        null,
                        null,
                        Map.of("Accept", "application/json"))
                    .body());
        page.get("events").forEach(e -> events.add(e.toString()));
        if (page.get("events").size() < 1000) {
          break; // (each page read is itself recorded, so the trail never stops growing here)
        }
        after = page.get("next_after").asLong();
      }
      String export = root.send("GET", "/audit/export", null, null).body();
      assertThat(records).hasSizeGreaterThan(45);
      assertThat(records).anyMatch(r -> r.contains("hmac-sha256:"));
      for (String c : List.of(secretValue, apiKey, token)) {
        String label =
            c.equals(secretValue) ? "secret value" : c.equals(apiKey) ? "api key" : "token";
        assertThat(records).as(label + " in an audit record").noneMatch(r -> r.contains(c));
        assertThat(events).as(label + " in an event").noneMatch(e -> e.contains(c));
        assertThat(export).as(label + " in the export").doesNotContain(c);
        assertThat(CapturingAppender.lines())
            .as(label + " in a log line")
            .noneMatch(l -> l.contains(c));
      }
      assertThat(CapturingAppender.lines()).noneMatch(l -> l.contains(s.rootKey()));
    }
  }
}
