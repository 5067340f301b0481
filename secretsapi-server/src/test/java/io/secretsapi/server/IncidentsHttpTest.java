package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.testing.TestStore;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/** Incidents over HTTP: the playbook's answer, bad input, and two nodes on PostgreSQL. */
class IncidentsHttpTest {

  private static String secretOf(TestServer s, String token) {
    return s.root()
        .call("POST", "/tokens/introspect", Map.of("token", token))
        .get("secret_id")
        .asString();
  }

  private static Response post(TestServer s, String path, String body) {
    return s.root().send("POST", path, body, "application/json");
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void incidents_openListGetClose_answerTheTimelineAndRefuseBadInputByField(TestStore store) {
    try (TestServer s = ProxyHttpTest.server(store, "127.0.0.1:9")) {
      String token =
          ProxyHttpTest.token(
              s.root(), "openai", "sk-proj-inc-0123456789ab", "127.0.0.1:9", Map.of());
      String secret = secretOf(s, token);

      Response unknown =
          post(s, "/incidents", "{\"secret_id\":\"sec_nosuchsecret\",\"reason\":\"leak\"}");
      assertThat(unknown.status()).isEqualTo(400);
      assertThat(unknown.contentType()).contains("application/problem+json");
      JsonNode p = ProxyHttpTest.JSON.readTree(unknown.body());
      assertThat(p.get("field").asString()).isEqualTo("secret_id");
      assertThat(p.get("rule").asString()).isEqualTo("exists");
      assertThat(s.root().call("GET", "/incidents", null).get("items")).isEmpty();

      Response opened =
          post(s, "/incidents", "{\"secret_id\":\"" + secret + "\",\"reason\":\"key in a log\"}");
      assertThat(opened.status()).as(opened.body()).isEqualTo(201);
      JsonNode in = ProxyHttpTest.JSON.readTree(opened.body());
      String id = in.get("id").asString();
      assertThat(in.get("state").asString()).isEqualTo("open");
      assertThat(in.get("timeline")).hasSize(7);
      assertThat(in.get("timeline").get(0).get("name").asString()).isEqualTo("credential revoked");
      assertThat(in.get("timeline").get(0).get("count").asLong()).isEqualTo(1);
      assertThat(in.get("containment_label").asString()).startsWith("containment ");
      assertThat(ProxyHttpTest.call(s, token, "POST", "127.0.0.1:9/v1/x", "{}").status())
          .isEqualTo(401);
      Response again =
          post(
              s,
              "/tokens/issue",
              "{\"secret_id\":\""
                  + secret
                  + "\",\"scope\":\"proxy\",\"ttl\":\"1m\","
                  + "\"environment\":\"production\"}");
      assertThat(again.status()).as(again.body()).isEqualTo(409);
      assertThat(again.body()).contains(id).contains("\"field\":\"secret_id\"");

      assertThat(
              s.root()
                  .call("GET", "/incidents?state=open", null)
                  .get("items")
                  .get(0)
                  .get("id")
                  .asString())
          .isEqualTo(id);
      assertThat(s.root().call("GET", "/incidents/" + id, null).get("timeline")).hasSize(7);

      Response closed = post(s, "/incidents/" + id + "/close", "{\"note\":\"owner rotated it\"}");
      assertThat(closed.status()).as(closed.body()).isEqualTo(200);
      assertThat(closed.body()).contains("\"state\":\"closed\"").contains("owner rotated it");
      Response twice = post(s, "/incidents/" + id + "/close", "{\"note\":\"again\"}");
      assertThat(twice.status()).isEqualTo(400);
      JsonNode q = ProxyHttpTest.JSON.readTree(twice.body());
      assertThat(q.get("field").asString()).isEqualTo("id");
      assertThat(q.get("rule").asString()).isEqualTo("open");
      assertThat(s.root().call("GET", "/incidents/" + id, null).get("close_note").asString())
          .isEqualTo("owner rotated it");
    }
  }

  /**
   * The acceptance's two nodes: the node that opens the incident cuts its open stream and counts
   * it; the other refuses a proxied call with a contained grant as soon as step 1 committed, and
   * refuses new grants once the change feed brings the block.
   */
  @Test
  void open_onOneNodeOfPostgres_cutsTheStreamAndTheOtherNodeRefuses() throws Exception {
    try (ProxyStreamCutHttpTest.CutUpstream up = new ProxyStreamCutHttpTest.CutUpstream();
        TestServer a = ProxyHttpTest.server(TestStore.POSTGRES, up.host());
        TestServer b = a.otherNode()) {
      String streaming =
          ProxyHttpTest.token(a.root(), "openai", "sk-proj-two-0123456789ab", up.host(), Map.of());
      String secret = secretOf(a, streaming);
      String idle =
          a.root()
              .call(
                  "POST",
                  "/tokens/issue",
                  Map.of(
                      "secret_id", secret,
                      "scope", "proxy",
                      "ttl", "5m",
                      "environment", "production"))
              .get("token")
              .asString();
      HttpResponse<InputStream> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(a.server().baseUrl() + "/proxy/" + up.host() + "/v1/hold"))
                      .header("Authorization", "Bearer " + streaming)
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofInputStream());
      BufferedReader stream =
          new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
      assertThat(stream.readLine()).isEqualTo(ProxyStreamCutHttpTest.FIRST);

      Response opened =
          post(a, "/incidents", "{\"secret_id\":\"" + secret + "\",\"reason\":\"leaked\"}");

      assertThat(opened.status()).as(opened.body()).isEqualTo(201);
      assertThat(ProxyHttpTest.call(b, idle, "POST", up.host() + "/v1/x", "{}").status())
          .as("a contained grant on the other node, right after step 1 committed")
          .isEqualTo(401);
      JsonNode in = ProxyHttpTest.JSON.readTree(opened.body());
      assertThat(in.get("timeline").get(2).get("count").asLong()).as("sessions cut").isEqualTo(1);
      StringBuilder tail = new StringBuilder();
      for (String l = stream.readLine(); l != null; l = stream.readLine()) {
        tail.append(l);
      }
      assertThat(tail.toString()).contains("token_revoked");
      String issue =
          "{\"secret_id\":\""
              + secret
              + "\",\"scope\":\"proxy\",\"ttl\":\"1m\","
              + "\"environment\":\"production\"}";
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      Response refused = post(b, "/tokens/issue", issue);
      while (refused.status() != 409 && System.nanoTime() < end) {
        refused = post(b, "/tokens/issue", issue);
      }
      assertThat(refused.status()).as(refused.body()).isEqualTo(409);
    }
  }
}
