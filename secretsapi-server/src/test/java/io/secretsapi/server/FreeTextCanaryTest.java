package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.storage.Dialect;
import io.secretsapi.testing.TestStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The canary sweep of free text. A stored value that looks like no credential, an API key, the
 * secret part of an API key alone, and a scoped token are planted in every free-text and id
 * position a caller controls (reasons, names, descriptions, owners, tags, scope names, policy
 * documents, webhook URLs, request ids, path ids, query values, other headers), alone and inside a
 * sentence. None may appear in any answer, log line, the metrics page, any audit record, the
 * export, any event, any webhook delivery or any column of any table; only the explicit reveal
 * paths (the one-time key display, the issued token, a resolve) may carry one, and they are not in
 * the sweep.
 */
class FreeTextCanaryTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String STORED = "plain-canary-value-4e7d1a9c";

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void canaries_inEveryFreeTextAndIdPosition_appearNowhere(TestStore store) throws Exception {
    try (WebhooksHttpTest.Receiver hook = new WebhooksHttpTest.Receiver();
        TestServer s = TestServer.start(store, WebhooksHttpTest.config())) {
      TokensHttpTest.World w = TokensHttpTest.World.make(s);
      SecretsApiClient root = s.root();
      root.call(
          "POST",
          "/webhooks",
          Map.of("url", hook.url(), "events", List.of("access", "grant", "refusal", "revocation")));
      root.createSecret(
          Map.of(
              "name",
              "plain",
              "provider",
              "custom",
              "resource_class",
              "model-access",
              "environment",
              "production",
              "value",
              STORED));
      String apiKey =
          root.createApiKey(Map.of("name", "canary", "scopes", List.of("secrets:read")))
              .get("key")
              .asString();
      String keySecret = apiKey.substring(apiKey.length() - 43); // it may hold '_' itself
      String token = w.issue().get("token").asString();
      String tokenId = w.issue().get("token_id").asString();
      Map<String, String> canaries = new LinkedHashMap<>();
      canaries.put("stored value", STORED);
      canaries.put("api key", apiKey);
      canaries.put("api key secret", keySecret);
      canaries.put("token", token);

      List<Response> answers = new ArrayList<>();
      int n = 0;
      for (String c : canaries.values()) {
        for (String text : List.of(c, "it leaked: " + c + ", rotate it")) {
          n++;
          answers.addAll(plant(s, w, text, tokenId, n));
        }
      }
      answers.add(s.anonymous().send("GET", "/metrics", null, null));
      // targets the HTTP client will not send, or after which the server closes the connection
      List<String> raw = new ArrayList<>();
      for (String c : canaries.values()) {
        String q = URLEncoder.encode(c, StandardCharsets.UTF_8);
        for (String target :
            List.of(
                "/secrets/" + q + "/%u0041", "/secrets/" + q + "%00x", "/secrets/" + q + "/%00")) {
          RawHttp.Answer a = RawHttp.send(s.server().port(), "GET", target, s.rootKey(), null);
          raw.add("raw answer " + a.status() + " " + a.headers() + " " + a.body());
        }
      }
      WebhooksHttpTest.await(() -> !hook.got.isEmpty());
      Thread.sleep(500); // deliveries of the last records

      List<String> sinks = new ArrayList<>();
      for (Response r : answers) {
        sinks.add("answer " + r.status() + " " + r.body());
        sinks.add("answer headers " + r.headers().map());
      }
      sinks.addAll(raw);
      sinks.addAll(s.auditRecords());
      sinks.add("export " + root.send("GET", "/audit/export", null, null).body());
      sinks.add(
          "events "
              + root.send(
                      "GET",
                      "/access/events?limit=1000",
                      null,
                      null,
                      Map.of("Accept", "application/json"))
                  .body());
      hook.got.forEach(d -> sinks.add("webhook " + d.get("body")));
      s.server().close();
      sinks.addAll(CapturingAppender.lines());
      sinks.addAll(everyColumn(s));

      for (Map.Entry<String, String> c : canaries.entrySet()) {
        assertThat(sinks).as(c.getKey()).noneMatch(line -> line.contains(c.getValue()));
        String encoded = URLEncoder.encode(c.getValue(), StandardCharsets.UTF_8);
        assertThat(sinks).as(c.getKey() + ", URL-encoded").noneMatch(l -> l.contains(encoded));
      }
      assertThat(answers)
          .as("free text with a canary is refused naming its field")
          .anyMatch(r -> r.status() == 400 && r.body().contains("secret_value"));
    }
  }

  /** Sends {@code text} in every position a caller controls; returns the answers. */
  private static List<Response> plant(
      TestServer s, TokensHttpTest.World w, String text, String tokenId, int n) {
    SecretsApiClient root = s.root();
    String q = URLEncoder.encode(text, StandardCharsets.UTF_8);
    Map<String, String> headers =
        Map.of("X-Request-Id", text, "User-Agent", text, "X-Forwarded-For", text);
    // a caller without credentials gets back the request id it sent, whatever it is (the answer
    // must not tell it whether that is a stored value); unauthenticatedGuess_* tests that echo
    Map<String, String> anonymous = Map.of("User-Agent", text, "X-Forwarded-For", text);
    List<Response> out = new ArrayList<>();
    out.add(
        root.send(
            "POST",
            "/secrets",
            json(
                Map.of(
                    "name",
                    text,
                    "provider",
                    "openai",
                    "resource_class",
                    "model-access",
                    "environment",
                    "production",
                    "owner",
                    text,
                    "tags",
                    List.of(text),
                    "value",
                    "unrelated-value-" + n + "-0123456789")),
            "application/json",
            headers));
    out.add(
        root.send(
            "POST",
            "/secrets/" + w.secretId() + "/scope",
            json(Map.of("name", text, "operations", List.of("reveal"))),
            "application/json",
            headers));
    out.add(
        root.send(
            "POST",
            "/service-accounts",
            json(Map.of("name", "sa-" + n, "description", text)),
            "application/json",
            headers));
    out.add(
        root.send(
            "POST",
            "/api-keys",
            json(Map.of("name", text, "scopes", List.of("secrets:read"))),
            "application/json",
            headers));
    out.add(
        root.send(
            "POST",
            "/access/revoke",
            json(Map.of("token_id", tokenId, "reason", text)),
            "application/json",
            headers));
    out.add(
        root.send(
            "PUT",
            "/policies/P-" + n,
            "id: P-" + n + "\ndescription: \"" + text + "\"\nrules: []\n",
            "application/yaml",
            headers));
    out.add(
        root.send(
            "POST",
            "/webhooks",
            json(Map.of("url", "https://hooks.example/x?k=" + q, "events", List.of("grant"))),
            "application/json",
            headers));
    out.add(root.send("GET", "/secrets/" + q, null, null, headers));
    out.add(root.send("GET", "/secrets/" + q + "/versions", null, null, headers));
    out.add(root.send("GET", "/tokens/" + q, null, null, headers));
    out.add(root.send("GET", "/api-keys/" + q, null, null, headers));
    out.add(root.send("GET", "/secrets?tag=" + q + "&name=" + q, null, null, headers));
    out.add(root.send("GET", "/audit/trail?principal=" + q, null, null, headers));
    // no route, so no key was checked: answered as to a caller without credentials
    out.add(root.send("GET", "/no-such-route/" + q, null, null, anonymous));
    out.add(root.send("PUT", "/policies/" + q, "rules: []\n", "application/yaml", headers));
    out.add(s.anonymous().send("GET", "/secrets/" + q, null, null, anonymous));
    if (text.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || "-_.".indexOf(ch) >= 0)) {
      out.add(s.anonymous().send(text, "/health/ready", null, null, anonymous)); // as the method
      out.add(root.send(text, "/secrets", null, null, anonymous));
    }
    out.add(
        s.anonymous()
            .send(
                "POST",
                "/tokens/derive",
                json(Map.of("token", "not-a-token", "ttl", "1m", "subject", text)),
                "application/json",
                anonymous));
    return out;
  }

  private static String json(Object o) {
    return JSON.writeValueAsString(o);
  }

  /** Every column of every table as text, and on SQLite the raw files. */
  static List<String> everyColumn(TestServer s) throws Exception {
    List<String> out = new ArrayList<>();
    var url = s.server().database().url();
    if (url.dialect() == Dialect.SQLITE) {
      Path db = url.sqlitePath().orElseThrow();
      for (Path p : List.of(db, Path.of(db + "-wal"))) {
        if (Files.exists(p)) {
          out.add(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
        }
      }
    }
    try (var db = io.secretsapi.storage.Database.open(url)) {
      List<String> tables =
          db.read(
              h ->
                  h.createQuery(
                          url.dialect() == Dialect.SQLITE
                              ? "SELECT name FROM sqlite_master WHERE type = 'table'"
                              : "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                      .mapTo(String.class)
                      .list());
      for (String table : tables) {
        db.read(
            h -> {
              try (ResultSet rs =
                  h.getConnection().createStatement().executeQuery("SELECT * FROM " + table)) {
                int cols = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                  StringBuilder row = new StringBuilder(table);
                  for (int i = 1; i <= cols; i++) {
                    byte[] b = rs.getBytes(i);
                    row.append('|')
                        .append(b == null ? "" : new String(b, StandardCharsets.ISO_8859_1));
                  }
                  out.add(row.toString());
                }
              } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
              }
              return null;
            });
      }
    }
    return out;
  }
}
