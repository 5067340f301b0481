package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * Issue 17, defect 9: malformed requests answered 500 (a proxy host such as {@code 127.1:PORT}
 * after its grant was taken, a {@code %u} escape in any path) or Jetty's own HTML page ({@code
 * %00}). Every route of the route table gets malformed path segments, query values and bodies; each
 * answer is below 500, every error is a problem document, and nothing changes.
 */
class MalformedRequestTest {
  /** Path segments no route may take as they are. */
  static final List<String> SEGMENTS =
      List.of(
          "%u0041",
          "a%u00",
          "%00",
          "a%00b",
          "%zz",
          "%",
          "a%e",
          "x".repeat(9000),
          "é",
          "%C3%A9",
          "%ff%fe",
          "..",
          "%2e%2e",
          "a%2Fb",
          "a%5Cb",
          "a;b",
          "%252e",
          "\u202e",
          "%0d%0aX-Injected:%201",
          "a\tb",
          "a b");

  static final List<String> QUERIES =
      List.of(
          "limit=%zz",
          "limit=%u0041",
          "status=%00",
          "limit=-1",
          "limit=99999999999999999999",
          "cursor=%ff",
          "a=%",
          "limit=1&limit=2",
          "since=%u0041&until=%00");

  static List<byte[]> bodies() {
    List<byte[]> b = new ArrayList<>();
    for (String s :
        List.of(
            "{",
            "{\"a\":",
            "null",
            "[]",
            "123",
            "\"\\ud800\"",
            "{\"name\": 1e999999}",
            "[".repeat(5000),
            "{\"name\":\"\\u0000\"}")) {
      b.add(s.getBytes(StandardCharsets.UTF_8));
    }
    b.add(new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'});
    b.add(new byte[0]);
    return b;
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void everyRoute_malformedPathQueryOrBody_answersProblemBelow500AndChangesNothing(TestStore store)
      throws Exception {
    try (LoopbackUpstream up = new LoopbackUpstream();
        TestServer s = ProxyHttpTest.server(store, up)) {
      SecretsApiClient root = s.root();
      String token =
          ProxyHttpTest.token(
              root, "openai", "sk-proj-malformed-0123456789", up.host(), Map.of("max_uses", 500));
      int port = s.server().port();
      String before = snapshot(s);
      // the requests are independent: sent from several threads at once (their records share the
      // group commit's flushes), each failure kept
      List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
      List<java.util.concurrent.Callable<Void>> sends = new ArrayList<>();
      Random random = new Random(17);
      for (RouteSpec r : s.server().routes()) {
        boolean proxy = r.path().startsWith("/proxy/");
        String bearer = proxy ? token : s.rootKey();
        List<String> targets = new ArrayList<>();
        for (String seg : SEGMENTS) {
          targets.add(fill(r.path(), seg, up.host()));
          if (proxy && !seg.equals("%C3%A9")) { // a well-formed path reaches the upstream
            targets.add("/proxy/" + up.host() + "/v1/" + seg);
          }
        }
        if (r.path().contains("{") || r.body().isPresent() || r.method().equals("GET")) {
          for (String q : QUERIES) {
            targets.add(fill(r.path(), "well-formed-id", up.host()) + "?" + q);
          }
        }
        for (String target : targets) {
          sends.add(send(port, r.method(), target, bearer, null, failures));
        }
        if (r.body().isPresent() && r.body().get() != Object.class || proxy) {
          for (byte[] body : bodies()) {
            String target = fill(r.path(), "well-formed-id", up.host());
            sends.add(send(port, r.method(), target, bearer, body, failures));
          }
        }
        // A seeded walk: random bytes in one segment, for the cases the lists above miss.
        for (int i = 0; i < 4; i++) {
          StringBuilder seg = new StringBuilder();
          for (int k = 0; k < 1 + random.nextInt(12); k++) {
            int c = 0x21 + random.nextInt(0x7e - 0x21);
            seg.append(c == '/' || c == '?' || c == '#' ? '%' : (char) c);
          }
          sends.add(
              send(
                  port,
                  r.method(),
                  fill(r.path(), seg.toString(), up.host()),
                  bearer,
                  null,
                  failures));
        }
      }
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(8);
      try {
        for (var done : pool.invokeAll(sends)) {
          done.get();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(failures).isEmpty();
      assertThat(snapshot(s)).as("nothing changed").isEqualTo(before);
      assertThat(up.got).as("nothing reached the upstream").isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void proxy_hostThatIsNotACanonicalName_isRefusedBeforeAnyUseIsTaken(TestStore store)
      throws Exception {
    try (LoopbackUpstream up = new LoopbackUpstream();
        TestServer s = ProxyHttpTest.server(store, up)) {
      int port = up.http.getAddress().getPort();
      List<String> odd =
          List.of(
              "127.1:" + port,
              "127.0.1",
              "127.0.0.01:" + port,
              "2130706433:" + port,
              "0177.0.0.1",
              "1.2.3.4.5",
              "256.0.0.1",
              "127.0.0.1:0" + port);
      SecretsApiClient root = s.root();
      String id =
          root.createSecret(
                  Map.of(
                      "name", "odd-hosts",
                      "provider", "openai",
                      "resource_class", "model-access",
                      "environment", "production",
                      "value", "sk-proj-odd-hosts-0123456789"))
              .get("id")
              .asString();
      // A scope naming such hosts is refused where scopes are made, so none can be granted.
      Map<String, Object> scope = new HashMap<>();
      scope.put("name", "odd");
      scope.put("operations", List.of("proxy"));
      List<String> hosts = List.of("127.1:" + port, "127.0.1", "2130706433:" + port, up.host());
      scope.put("upstream", Map.of("hosts", hosts, "path_prefixes", List.of("/v1")));
      Response made =
          root.send(
              "POST",
              "/secrets/" + id + "/scope",
              ProxyHttpTest.JSON.writeValueAsString(scope),
              "application/json");
      String token;
      if (made.status() == 201) {
        token =
            root.call(
                    "POST",
                    "/tokens/issue",
                    Map.of(
                        "secret_id", id, "scope", "odd", "ttl", "5m", "environment", "production"))
                .get("token")
                .asString();
      } else {
        assertThat(made.status()).as(made.body()).isEqualTo(400);
        assertThat(ProxyHttpTest.JSON.readTree(made.body()).get("field").asString())
            .isEqualTo("upstream.hosts");
        token = ProxyHttpTest.tokenFor(root, id, up.host(), Map.of(), "5m");
      }
      String before = snapshot(s);
      for (String host : odd) {
        RawHttp.Answer a =
            RawHttp.send(s.server().port(), "GET", "/proxy/" + host + "/v1/models", token, null);
        assertThat(a.status()).as(host + ": " + a.body()).isEqualTo(400);
        assertThat(a.contentType()).startsWith(Problems.CONTENT_TYPE);
        JsonNode p = ProxyHttpTest.JSON.readTree(a.body());
        assertThat(p.get("field").asString()).as(host).isEqualTo("host");
      }
      assertThat(snapshot(s)).as("no use taken, no grant recorded").isEqualTo(before);
      assertThat(up.got).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void jettyLevelErrors_answerProblemDocumentsNeverHtml(TestStore store) throws Exception {
    try (TestServer s = TestServer.start(store)) {
      String before = snapshot(s);
      Map<String, String> cases = new java.util.LinkedHashMap<>();
      cases.put("GET /secrets/%u0041", "%u escape");
      cases.put("PUT /policies/a%00b", "NUL");
      cases.put("GET /secrets/a%2Fb", "encoded slash");
      cases.put("GET /secrets/%2e%2e/x", "encoded dot segment");
      cases.put("GET /secrets/..%2F..%2Fetc", "encoded traversal");
      cases.put("GET /secrets/a%5Cb", "encoded backslash");
      cases.put("GET /secrets//x", "empty segment");
      cases.put("GET /secrets/%zz", "bad escape");
      cases.put("GET /secrets/%ff", "not UTF-8");
      cases.put("GET /secrets/\u00e9", "raw non-ASCII");
      cases.put("GET /secrets/a b", "space in the target");
      cases.put("GET /" + "x".repeat(70_000), "target too long");
      cases.put("BREW /secrets", "unknown method");
      for (var c : cases.entrySet()) {
        String[] mt = c.getKey().split(" ", 2);
        RawHttp.Answer a = RawHttp.send(s.server().port(), mt[0], mt[1], s.rootKey(), null);
        String what = c.getValue() + " " + a.status() + " " + a.contentType() + " " + a.body();
        assertThat(a.status()).as(what).isBetween(400, 499);
        assertThat(a.contentType()).as(what).startsWith(Problems.CONTENT_TYPE);
        JsonNode p = ProxyHttpTest.JSON.readTree(a.body());
        assertThat(p.get("type").asString()).as(what).startsWith(Problem.TYPE_BASE);
        assertThat(p.get("status").asInt()).isEqualTo(a.status());
      }
      assertThat(snapshot(s)).isEqualTo(before);
    }
  }

  private static java.util.concurrent.Callable<Void> send(
      int port, String method, String target, String bearer, byte[] body, List<String> failures) {
    return () -> {
      check(port, method, target, bearer, body, failures);
      return null;
    };
  }

  private static void check(
      int port, String method, String target, String bearer, byte[] body, List<String> failures)
      throws Exception {
    RawHttp.Answer a = RawHttp.send(port, method, target, bearer, body);
    String what =
        method
            + " "
            + (target.length() > 120 ? target.substring(0, 120) + "..." : target)
            + (body == null ? "" : " body " + new String(body, 0, Math.min(body.length, 20)))
            + " -> "
            + a.status()
            + " "
            + a.contentType();
    if (a.status() >= 500) {
      failures.add(what + " " + a.body());
    } else if (a.status() >= 400 && !method.equals("HEAD")) {
      if (!a.contentType().startsWith(Problems.CONTENT_TYPE)) {
        failures.add(what + " (not a problem document)");
      } else if (!ProxyHttpTest.JSON
          .readTree(a.body())
          .get("type")
          .asString()
          .startsWith(Problem.TYPE_BASE)) {
        failures.add(what + " (no problem type)");
      }
    }
  }

  /** {@code template} with every parameter set to {@code segment} (the proxy's host kept valid). */
  private static String fill(String template, String segment, String upstreamHost) {
    String t = template.replace("<path>", "v1/" + segment);
    if (t.startsWith("/proxy/")) {
      t = t.replace("{host}", segment).replaceFirst("/v1/.*$", "/v1/x");
      return t;
    }
    return t.replaceAll("\\{[a-z_]+\\}", java.util.regex.Matcher.quoteReplacement(segment));
  }

  private static String policyVersions(SecretsApiClient root) {
    Response r = root.send("GET", "/policies/KEY-SCOPE-17/versions", null, null);
    return r.status() == 200 ? r.body() : String.valueOf(r.status());
  }

  /** What a bad request could have changed: objects, versions, grants and their uses. */
  static String snapshot(TestServer s) {
    SecretsApiClient root = s.root();
    JsonNode keys = root.listApiKeys(java.util.Optional.empty());
    long granted =
        s.auditRecords().stream()
            .filter(x -> x.contains("\"type\":\"token.proxy\"") && x.contains("\"allow\""))
            .count();
    return root.listSecrets(Map.of("limit", "500")).get("items").toString()
        + root.call("GET", "/tokens", null)
        + root.listServiceAccounts()
        + root.call("GET", "/webhooks", null)
        + policyVersions(root)
        + keys.get("items")
            .valueStream()
            .map(k -> k.get("id").asString() + k.get("status").asString())
            .toList()
        + " granted="
        + granted;
  }
}
