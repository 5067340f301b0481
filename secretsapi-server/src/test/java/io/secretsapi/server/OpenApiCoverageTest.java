package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.testing.TestStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Calls every route of the route table the way a client that holds the right credentials does, and
 * without credentials, through the clients of {@link TestServer}, which check each answer against
 * /openapi.json; then lists what was exercised. A route added later is called here too, by the same
 * rules as {@link MatrixFixture}; one that declares no answer stops the broker from starting,
 * naming itself.
 */
class OpenApiCoverageTest {

  @Test
  void everyRoute_answersAsItsDeclaredSchema_andTheRoutesExercisedAreListed() throws Exception {
    try (LoopbackUpstream up = new LoopbackUpstream();
        TestServer s =
            TestServer.start(
                TestStore.SQLITE,
                Map.of("proxy.insecure_upstreams", up.host(), "webhooks.allow_internal", "true"))) {
      MatrixFixture f = new MatrixFixture(s);
      String proxyToken =
          ProxyHttpTest.tokenFor(
              s.root(),
              f.newSecret(),
              up.host(),
              Map.of(
                  "upstream",
                  Map.of(
                      "hosts",
                      List.of(up.host()),
                      "methods",
                      List.of(),
                      "path_prefixes",
                      List.of("/v1"))),
              "5m");
      Map<String, String> exercised = new TreeMap<>();
      List<String> missing = new ArrayList<>();
      for (RouteSpec r : s.server().routes()) {
        String label = r.method() + " " + OpenApi.openApiPath(r.path());
        Response ok;
        if (r.path().startsWith("/proxy/")) {
          ok =
              s.anonymous()
                  .withKey(proxyToken)
                  .send(r.method(), "/proxy/" + up.host() + "/v1/models", null, null);
        } else if (r.auth().equals("token")) {
          ok = f.callWithToken(f.newToken(), r);
        } else {
          ok = f.call(s.root(), r);
        }
        boolean served =
            r.path().startsWith("/proxy/")
                ? ok.status() != 401 && ok.status() != 403
                : ok.status() >= 200 && ok.status() < 300;
        if (!served) {
          missing.add(label + " answered " + ok.status() + ": " + ok.body());
        }
        String answers = ok.status() + " " + ok.contentType().split(";")[0];
        if (!r.auth().equals("public")) {
          Response refused;
          if (r.path().startsWith("/proxy/")) {
            refused =
                s.anonymous().send(r.method(), "/proxy/" + up.host() + "/v1/models", null, null);
          } else if (r.auth().equals("token")) {
            refused = f.callWithToken(null, r);
          } else {
            refused = f.call(s.anonymous(), r);
          }
          answers += ", " + refused.status() + " " + refused.contentType().split(";")[0];
        }
        exercised.put(label, answers);
      }
      s.root().stream("/access/events", Map.of("Accept", "text/event-stream"), line -> false);
      exercised.merge("GET /access/events", "200 text/event-stream", (a, b) -> a + ", " + b);

      StringBuilder table =
          new StringBuilder("routes exercised, each answer checked against /openapi.json:\n");
      exercised.forEach(
          (route, answers) -> table.append(route).append("  ->  ").append(answers).append('\n'));
      System.out.println(table);
      assertThat(missing)
          .as(
              "every route answers a success the fixture can check; for a route the generic call"
                  + " in MatrixFixture.call cannot serve, add its path, query and body there\n"
                  + table)
          .isEmpty();
      assertThat(exercised.keySet())
          .hasSameSizeAs(s.server().routes())
          .contains("POST /tokens/issue", "GET /access/events", "GET /proxy/{host}/{path}");
    }
  }
}
