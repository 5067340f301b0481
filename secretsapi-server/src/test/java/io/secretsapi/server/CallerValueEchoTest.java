package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.secretsapi.testing.TestStore;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * No caller value of a credential's shape comes back or is kept: every route of the route table is
 * called with a canary (one of our API keys' shape, an OpenAI key's, a JWT's) in each path
 * parameter and each query parameter position, and as a query parameter's name, without a key, with
 * a credential that is the canary itself, and with a valid key (a valid scoped token on the proxy).
 * The canary must appear in no answer's headers or body, no log line and no audit record.
 */
class CallerValueEchoTest {
  static final List<String> CANARIES =
      List.of(
          "sk_c4n4ryk3y0000000_CANARYsecretpartCANARYsecretpart0000000000",
          "sk-proj-CANARYopenai0123456789abcdef",
          "eyJhbGciOiJFZERTQSJ9.eyJjYW5hcnkiOiJDQU5BUlkifQ.Q0FOQVJZc2lnbmF0dXJl");

  /** What must never be seen: each canary, and the part of each that no other text holds. */
  static final List<String> MARKS =
      List.of(
          CANARIES.get(0),
          CANARIES.get(1),
          CANARIES.get(2),
          "c4n4ryk3y",
          "CANARYsecretpart",
          "CANARYopenai",
          "eyJjYW5hcnkiOiJDQU5BUlkifQ");

  /** Every query parameter a route reads, and some a future one may. */
  static final List<String> QUERY =
      List.of(
          "name",
          "service_account_id",
          "secret_id",
          "token_id",
          "principal",
          "type",
          "limit",
          "after",
          "from",
          "to",
          "offset",
          "tree_size",
          "resource_class",
          "environment",
          "provider",
          "owner",
          "status",
          "sort",
          "cursor");

  private static final Pattern PARAM = Pattern.compile("\\{([a-z_]+)\\}|<([a-z_]+)>");

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void everyRoute_canaryInEachPathAndQueryPosition_isNeverRepeatedNorKept(TestStore store)
      throws Exception {
    HttpServer up = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    up.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          byte[] b = "{\"error\":\"no such thing\"}".getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(404, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    up.start();
    String host = "127.0.0.1:" + up.getAddress().getPort();
    try (TestServer s =
        TestServer.start(
            store, Map.of("proxy.insecure_upstreams", host, "webhooks.allow_internal", "true"))) {
      MatrixFixture f = new MatrixFixture(s);
      Map<String, String> real = new HashMap<>();
      real.put("secret", f.newSecret());
      real.put("key", f.newRootKey());
      real.put("account", s.root().createServiceAccount("echo-sa", "").get("id").asString());
      real.put("webhook", f.newWebhook());
      real.put("token", f.issued().get("token_id").asString());
      String proxyToken =
          ProxyHttpTest.token(
              s.root(), "openai", "sk-proj-echo-upstream-0123456789", host, Map.of());
      // the calls are independent: made from several threads at once, their records share the
      // group commit's flushes
      List<java.util.concurrent.Callable<String[]>> calls = new ArrayList<>();
      for (RouteSpec r : s.server().routes()) {
        boolean proxy = r.path().startsWith("/proxy/");
        String valid = proxy ? proxyToken : s.rootKey();
        List<String> params = params(r.path());
        for (String canary : CANARIES) {
          for (int i = 0; i < params.size(); i++) {
            String target = fill(r.path(), params, i, canary, real, host);
            for (String bearer : new String[] {null, canary, valid}) {
              calls.add(() -> call(s, r, target, bearer));
            }
          }
        }
        // Each query position gets one of the canaries in turn, and a canary is a name once.
        String plain = fill(r.path(), params, -1, null, real, host);
        for (int q = 0; q < QUERY.size(); q++) {
          String canary = CANARIES.get(q % CANARIES.size());
          for (String bearer : new String[] {null, valid}) {
            String t = plain + "?" + QUERY.get(q) + "=" + canary;
            calls.add(() -> call(s, r, t, bearer));
          }
        }
        calls.add(() -> call(s, r, plain + "?" + CANARIES.get(0) + "=1", valid));
      }
      List<String[]> answers = new ArrayList<>();
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(8);
      try {
        for (var done : pool.invokeAll(calls)) {
          answers.add(done.get());
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(answers).hasSizeGreaterThan(s.server().routes().size() * 39);
      for (String[] a : answers) {
        for (String mark : MARKS) {
          assertThat(a[1]).as(a[0] + " -> " + a[1]).doesNotContain(mark);
        }
      }
      List<String> records = s.auditRecords();
      s.server().close();
      for (String mark : MARKS) {
        assertThat(CapturingAppender.lines()).as("log lines").noneMatch(l -> l.contains(mark));
        assertThat(records).as("audit records").noneMatch(l -> l.contains(mark));
      }
    } finally {
      up.stop(0);
    }
  }

  /** The route's parameters, in order: {@code id}, {@code name}, {@code host}, {@code path}. */
  private static List<String> params(String path) {
    List<String> out = new ArrayList<>();
    Matcher m = PARAM.matcher(path);
    while (m.find()) {
      out.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    return out;
  }

  /**
   * The route's path with the canary in parameter {@code at} (none when -1) and real values in the
   * others: objects that exist, so that a handler gets as far as it can.
   */
  private static String fill(
      String template,
      List<String> params,
      int at,
      String canary,
      Map<String, String> real,
      String host) {
    StringBuilder out = new StringBuilder();
    Matcher m = PARAM.matcher(template);
    int i = 0;
    while (m.find()) {
      String value;
      if (i == at) {
        value = params.get(i).equals("path") ? "v1/" + canary : canary;
      } else {
        value = filler(template, params.get(i), real, host);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
      i++;
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String filler(
      String template, String param, Map<String, String> real, String host) {
    return switch (param) {
      case "host" -> host;
      case "path" -> "v1/chat/completions";
      case "name" -> "model-access";
      default ->
          template.startsWith("/secrets/")
              ? real.get("secret")
              : template.startsWith("/api-keys/")
                  ? real.get("key")
                  : template.startsWith("/service-accounts/")
                      ? real.get("account")
                      : template.startsWith("/webhooks/")
                          ? real.get("webhook")
                          : template.startsWith("/tokens/")
                              ? real.get("token")
                              : template.startsWith("/policies/") ? "KEY-SCOPE-17" : "x1";
    };
  }

  /** One call on raw HTTP: what was asked, and the answer's header lines and body as one text. */
  private static String[] call(TestServer s, RouteSpec r, String target, String bearer)
      throws Exception {
    Map<String, String> h = new HashMap<>();
    if (bearer != null) {
      h.put("Authorization", "Bearer " + bearer);
    }
    h.put("Accept", "application/json"); // the event feed answers a page, not a stream
    h.put("X-Request-Id", CANARIES.get(1)); // a request id of a credential's shape, every time
    byte[] body = null;
    if (List.of("POST", "PUT", "PATCH").contains(r.method())) {
      body = "{}".getBytes(StandardCharsets.UTF_8);
      h.put("Content-Type", "application/json");
    }
    RawHttp.Answer a = RawHttp.exchange(s.server().port(), r.method(), target, h, body);
    return new String[] {
      r.method() + " " + target + (bearer == null ? "" : " with a bearer"),
      a.status() + " " + a.lines() + " " + a.body()
    };
  }
}
