package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.testing.RefusingAudit;
import io.secretsapi.testing.TestStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What {@code /mcp} refuses before the endpoint reads a message (a method it does not serve, a body
 * over the limit) is recorded before it is answered, and with a store that cannot record it the
 * answer is a 503, never a 500, until the store records again.
 */
class McpGuardTest {
  private static HttpResponse<String> send(TestServer s, String method, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(s.server().baseUrl() + "/mcp"))
            .header("Authorization", "Bearer " + s.rootKey())
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream");
    b =
        body == null
            ? b.method(method, HttpRequest.BodyPublishers.noBody())
            : b.method(method, HttpRequest.BodyPublishers.ofString(body));
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void mcp_methodOtherThanPost_refused405RecordedBeforeTheAnswer(TestStore store) throws Exception {
    try (TestServer s = TestServer.start(store)) {
      for (String method : new String[] {"GET", "DELETE", "PUT"}) {
        HttpResponse<String> r = send(s, method, null);
        assertThat(r.statusCode()).as(method).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).contains("POST");
        assertThat(r.headers().firstValue("Content-Type").orElse(""))
            .startsWith("application/problem+json");
        String requestId = r.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(s.auditRecords())
            .anyMatch(
                x ->
                    x.contains(requestId)
                        && x.contains("\"status\":405")
                        && x.contains(method + " /mcp"));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void mcp_storeRefusesRecords_refusalsAnswer503AndRecoverAfter(TestStore store) throws Exception {
    try (TestServer s = TestServer.start(store)) {
      String huge =
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"pad\":\""
              + "x".repeat(1_100_000)
              + "\"}";
      RefusingAudit.install(s.server().database());
      try {
        assertThat(send(s, "GET", null).statusCode()).isEqualTo(503);
        int oversized;
        try {
          oversized = send(s, "POST", huge).statusCode();
        } catch (java.io.IOException closedUnderTheUpload) {
          oversized = 503; // answered before the upload ended: the connection closed under it
        }
        assertThat(oversized).isEqualTo(503);
      } finally {
        RefusingAudit.remove(s.server().database());
      }
      assertThat(send(s, "GET", null).statusCode()).isEqualTo(405);
    }
  }
}
