package io.secretsapi.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The client made by address alone sends through URL connections: every method and every error
 * status must reach the caller as the broker answered it, problem document included.
 */
class PlainHttpTest {
  private HttpServer server;
  private final List<String> seen = new ArrayList<>();
  private volatile int status = 200;
  private volatile String answer = "{\"ok\":true}";

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void answer(HttpExchange x) throws IOException {
    String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    synchronized (seen) {
      seen.add(
          x.getRequestMethod()
              + " "
              + x.getRequestURI()
              + " "
              + x.getRequestHeaders().getFirst("Authorization")
              + " "
              + body);
    }
    byte[] out = answer.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/problem+json");
    if (status == 401) {
      x.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"secretsapi\"");
    }
    x.sendResponseHeaders(status, out.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(out);
    }
  }

  private SecretsApiClient client() {
    return SecretsApiClient.create("http://127.0.0.1:" + server.getAddress().getPort(), "sk_k");
  }

  @ParameterizedTest
  @CsvSource({
    "GET,401",
    "POST,401",
    "PUT,401",
    "DELETE,401",
    "GET,403",
    "POST,404",
    "PUT,409",
    "POST,500",
    "DELETE,503"
  })
  void call_errorStatus_raisesWithTheProblemDocument(String method, int code) {
    status = code;
    answer = "{\"type\":\"about:blank\",\"title\":\"refused\",\"status\":" + code + "}";

    ApiException e =
        catchThrowableOfType(
            ApiException.class,
            () -> client().call(method, "/x", method.equals("GET") ? null : Map.of("a", "b")));

    assertThat(e.status()).isEqualTo(code);
    assertThat(e.problem().path("title").asString()).isEqualTo("refused");
  }

  @Test
  void call_bodyAndKey_reachTheBrokerOnceAsSent() {
    assertThat(
            client()
                .call("POST", "/secrets?name=a%20b", Map.of("value", "v"))
                .path("ok")
                .asBoolean())
        .isTrue();

    assertThat(seen).containsExactly("POST /secrets?name=a%20b Bearer sk_k {\"value\":\"v\"}");
  }

  @Test
  void send_answer_keepsStatusHeadersAndBody() {
    status = 201;
    Response r = client().send("PUT", "/y", "{}", "application/json");

    assertThat(r.status()).isEqualTo(201);
    assertThat(r.contentType()).isEqualTo("application/problem+json");
    assertThat(r.body()).isEqualTo("{\"ok\":true}");
  }

  @Test
  void stream_lines_arriveInOrderUntilTheCallerStops() {
    answer = "data: 1\n\ndata: 2\n\ndata: 3\n";
    List<String> lines = new ArrayList<>();

    client().stream(
        "/events", Map.of("Accept", "text/event-stream"), l -> lines.add(l) && lines.size() < 3);

    assertThat(lines).containsExactly("data: 1", "", "data: 2");
  }

  @Test
  void call_patch_goesThroughAnHttpClientMadeOnFirstUse() {
    try (SecretsApiClient c = client()) {
      c.call("PATCH", "/z", Map.of("a", 1));
    }

    assertThat(seen).containsExactly("PATCH /z Bearer sk_k {\"a\":1}");
  }

  @Test
  void call_nothingListening_saysWhichBrokerCannotBeReached() {
    int port = server.getAddress().getPort();
    server.stop(0);

    var e =
        catchThrowableOfType(
            java.io.UncheckedIOException.class, () -> client().call("GET", "/x", null));

    assertThat(e).hasMessageContaining("cannot reach the broker at http://127.0.0.1:" + port);
    assertThat(Optional.ofNullable(e.getMessage())).get().asString().doesNotContain("sk_k");
  }
}
