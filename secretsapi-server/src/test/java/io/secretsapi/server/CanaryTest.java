package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.client.SecretsApiClient;
import io.secretsapi.testing.TestStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Plants canary values as secrets and searches every answer, log line, metric, error detail and the
 * raw database (file bytes and every table) for them.
 */
class CanaryTest {
  static final String CANARY = "CANARY-7f3e9a1c5b2d8e4f-secret-value";
  static final String CANARY_ROTATED = "CANARY-rotated-0a9b8c7d6e5f";
  static final String CANARY_PUT = "CANARY-put-1b2c3d4e5f6a7b";
  static final String MARK = "CANARY-";

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void canarySecret_appearsNowhereButTheVault(TestStore store) throws Exception {
    try (TestServer s = TestServer.start(store)) {
      SecretsApiClient root = s.root();
      List<Response> answers = new ArrayList<>();
      String body =
          "{\"name\":\"canary\",\"provider\":\"openai\",\"resource_class\":\"model-access\","
              + "\"environment\":\"production\",\"value\":\""
              + CANARY
              + "\"}";
      Response created = root.send("POST", "/secrets", body, "application/json");
      answers.add(created);
      String id =
          tools.jackson.databind.json.JsonMapper.builder()
              .build()
              .readTree(created.body())
              .get("id")
              .asString();
      answers.add(root.send("GET", "/secrets", null, null));
      answers.add(root.send("GET", "/secrets/" + id, null, null));
      answers.add(root.send("GET", "/secrets/" + id + "/versions", null, null));
      answers.add(
          root.send(
              "POST",
              "/secrets/" + id + "/rotate",
              "{\"value\":\"" + CANARY_ROTATED + "\"}",
              "application/json"));
      answers.add(
          root.send(
              "PUT",
              "/secrets/" + id + "/value",
              "{\"value\":\"" + CANARY_PUT + "\"}",
              "application/json"));
      // Failures that carry the value: duplicate, unknown field, wrong type, too long, sealed.
      answers.add(root.send("POST", "/secrets", body, "application/json"));
      answers.add(
          root.send(
              "POST",
              "/secrets",
              body.replace("}", ",\"x\":\"" + CANARY + "\"}"),
              "application/json"));
      answers.add(
          root.send("POST", "/secrets", body.replace("\"model-access\"", "7"), "application/json"));
      answers.add(
          root.send(
              "PUT",
              "/secrets/" + id + "/value",
              "{\"value\":\"" + CANARY + "x".repeat(17000) + "\"}",
              "application/json"));
      answers.add(
          root.send(
              "POST",
              "/secrets/" + id + "/rotate",
              "{\"value\":\"" + CANARY + "\",\"grace\":\"" + CANARY + "\"}",
              "application/json"));
      answers.add(
          root.send(
              "PUT",
              "/secrets/" + id + "/value",
              "{\"value\":" + CANARY + "}",
              "application/json"));
      answers.add(root.send("DELETE", "/secrets/" + id, null, null));
      answers.add(
          root.send(
              "PUT",
              "/secrets/" + id + "/value",
              "{\"value\":\"" + CANARY + "\"}",
              "application/json"));
      answers.add(s.anonymous().send("GET", "/metrics", null, null));
      answers.add(root.send("GET", "/openapi.json", null, null));

      for (Response r : answers) {
        assertThat(r.body()).as("answer body").doesNotContain(MARK);
        assertThat(r.headers().map().toString()).as("answer headers").doesNotContain(MARK);
      }
      s.server().close();
      assertThat(CapturingAppender.lines()).as("log lines").noneMatch(l -> l.contains(MARK));
      assertThat(CapturingAppender.lines()).as("log lines").noneMatch(l -> l.contains(s.rootKey()));
      for (String row : everyStoredValue(s, store)) {
        assertThat(row).as("stored row").doesNotContain(MARK).doesNotContain(s.rootKey());
      }
    }
  }

  /** Every column of every table as text, and on SQLite the raw files. */
  private static List<String> everyStoredValue(TestServer s, TestStore store) throws Exception {
    return FreeTextCanaryTest.everyColumn(s);
  }
}
