package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The resource topology screen over HTTP: what a key's scopes allow (reading with {@code
 * secrets:read}, assigning with {@code policies:write}), the assignment as the API makes it, and
 * bad input refused naming the form's field with nothing changed.
 */
class ConsoleTopologyHttpTest {
  static final JsonMapper JSON = JsonMapper.builder().build();

  /** A secret of the root account with a scope naming {@code host}; answers its id. */
  static String secretReaching(TestServer s, String name, String host) {
    String id =
        s.root()
            .createSecret(
                Map.of(
                    "name", name,
                    "provider", "openai",
                    "resource_class", "model-access",
                    "environment", "production",
                    "value", "sk-proj-CANARY-console-topology-0123"))
            .get("id")
            .asString();
    Response scope =
        s.root()
            .send(
                "POST",
                "/secrets/" + id + "/scope",
                JSON.writeValueAsString(
                    Map.of(
                        "name",
                        "model-access",
                        "operations",
                        List.of("proxy"),
                        "upstream",
                        Map.of("hosts", List.of(host)),
                        "max_ttl",
                        "15m")),
                "application/json");
    assertThat(scope.status()).as(scope.body()).isEqualTo(201);
    return id;
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void topology_readerAndWriter_seeAndAssignAsTheApiAllows(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      secretReaching(s, "openai-prod-key", "api.openai.com");

      ConsoleClient reader = new ConsoleClient(s.server().baseUrl());
      assertThat(reader.logIn(ConsoleScopesHttpTest.keyWith(s, "secrets:read")).statusCode())
          .isEqualTo(303);
      String own = reader.get("/console/topology").body();
      assertThat(own).contains("Resource topology", "0 nodes").doesNotContain("api.openai.com");
      assertThat(ConsoleScopesHttpTest.postForms(own)).containsOnly("/console/logout");
      HttpResponse<String> forged =
          reader.postWithCsrf(
              "/console/topology/assign", Map.of("resource", "api.openai.com", "zone", "zone-04"));
      assertThat(forged.statusCode()).isEqualTo(403);
      assertThat(forged.body()).contains("policies:write");

      ConsoleClient noRead = new ConsoleClient(s.server().baseUrl());
      noRead.logIn(ConsoleScopesHttpTest.keyWith(s, "audit:read"));
      assertThat(noRead.get("/console").body()).doesNotContain("/console/topology");
      assertThat(noRead.get("/console/topology").statusCode()).isEqualTo(403);

      ConsoleClient root = new ConsoleClient(s.server().baseUrl());
      root.logIn(s.rootKey());
      String before = root.get("/console/topology").body();
      assertThat(before)
          .contains("api.openai.com", "openai-prod-key", "rs-scoped", ">scoped<", "1 node")
          .doesNotContain("CANARY");
      assertThat(ConsoleScopesHttpTest.postForms(before)).contains("/console/topology/assign");

      HttpResponse<String> badHost =
          root.postWithCsrf(
              "/console/topology/assign", Map.of("resource", "not a host", "zone", "zone-04"));
      assertThat(badHost.statusCode()).isEqualTo(400);
      assertThat(badHost.body()).contains("field: resource");
      HttpResponse<String> badZone =
          root.postWithCsrf(
              "/console/topology/assign", Map.of("resource", "api.openai.com", "zone", "Zone 04"));
      assertThat(badZone.statusCode()).isEqualTo(400);
      assertThat(badZone.body()).contains("field: zone");
      assertThat(s.root().call("GET", "/topology", null).get("zones")).hasSize(1);

      HttpResponse<String> assigned =
          root.postWithCsrf(
              "/console/topology/assign",
              Map.of("resource", "API.openai.com", "zone", "zone-04", "description", "pii"));
      assertThat(assigned.statusCode()).isEqualTo(303);
      String after = root.get("/console/topology?assigned=api.openai.com&zone=zone-04").body();
      assertThat(after).contains("Trust zone zone-04", "pii", "assigned api.openai.com");
      var zone = s.root().call("GET", "/topology", null).get("zones").get(0);
      assertThat(zone.get("name").asString()).isEqualTo("zone-04");
      assertThat(zone.get("description").asString()).isEqualTo("pii");
      assertThat(zone.get("resources").get(0).get("name").asString()).isEqualTo("api.openai.com");
    }
  }
}
