package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.testing.TestStore;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class OpenApiTest {
  @Test
  void openApi_describesExactlyTheRoutesThatAnswer() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      JsonNode doc =
          JsonMapper.builder()
              .build()
              .readTree(s.anonymous().send("GET", "/openapi.json", null, null).body());
      assertThat(doc.get("openapi").asString()).startsWith("3.1");
      Set<String> documented = new HashSet<>();
      for (var path : doc.get("paths").properties()) {
        for (var op : path.getValue().properties()) {
          documented.add(op.getKey().toUpperCase() + " " + path.getKey());
          assertThat(op.getValue().get("summary").asString()).isNotBlank();
        }
      }
      Set<String> routed = new HashSet<>();
      for (RouteSpec r : s.server().routes()) {
        routed.add(r.method() + " " + r.path().replaceAll("<([a-z_]+)>", "{$1}"));
        Response answer =
            s.anonymous()
                .send(r.method(), r.path().replaceAll("\\{[a-z_]+}|<[a-z_]+>", "x"), null, null);
        assertThat(answer.body())
            .as(r.method() + " " + r.path() + " is routed")
            .doesNotContain("no route for");
      }
      assertThat(documented).isEqualTo(routed);
      JsonNode create = doc.get("paths").get("/secrets").get("post");
      assertThat(create.get("x-required-scope").asString()).isEqualTo("secrets:write");
      assertThat(create.get("requestBody").toString()).contains("resource_class");
    }
  }
}
