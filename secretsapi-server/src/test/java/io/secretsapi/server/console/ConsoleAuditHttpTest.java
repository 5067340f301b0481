package io.secretsapi.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each console request is audited as the API request would be, under the operator's principal. */
class ConsoleAuditHttpTest {

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void consoleRequests_pageFormAndRefusal_recordedWithOperatorPrincipal(TestStore store) {
    try (TestServer s = TestServer.start(store)) {
      ConsoleClient c = new ConsoleClient(s.server().baseUrl());
      c.logIn(s.rootKey());
      c.get("/console/secrets");
      c.postWithCsrf(
          "/console/secrets",
          Map.of(
              "name", "audited",
              "provider", "openai",
              "resource_class", "model-access",
              "environment", "production",
              "value", "sk-audited-0123456789"));
      c.post("/console/secrets", Map.of("name", "no-csrf"));
      assertThat(s.auditRecords())
          .anySatisfy(
              r ->
                  assertThat(r)
                      .contains(
                          "\"type\":\"request\"",
                          "\"actor\":\"root\"",
                          "\"decision\":\"allow\"",
                          "\"route\":\"GET /console/secrets\""))
          .anySatisfy(
              r ->
                  assertThat(r)
                      .contains(
                          "\"type\":\"secret.create\"",
                          "\"actor\":\"root\"",
                          "\"route\":\"POST /console/secrets\""))
          .anySatisfy(
              r ->
                  assertThat(r)
                      .contains(
                          "\"decision\":\"deny\"",
                          "\"actor\":\"root\"",
                          "\"status\":403",
                          "\"route\":\"POST /console/secrets\""));
    }
  }
}
