package io.secretsapi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** {@code secretsapi engine create --webhook} and {@code engine update --webhook}. */
class EngineCliTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static CliTest.Run run(TestServer s, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--addr=" + s.server().baseUrl());
    all.add("--token=" + s.rootKey());
    int code =
        Main.run(
            new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
    return new CliTest.Run(code, out.toString(), err.toString());
  }

  @Test
  void engine_webhookSetOnCreateClearedAndSetByUpdate_badOneRefusedNamingTheField() {
    try (TestServer s =
        TestServer.start(TestStore.SQLITE, Map.of("webhooks.allow_internal", "true"))) {
      String hook =
          s.root()
              .call(
                  "POST",
                  "/webhooks",
                  Map.of("url", "http://127.0.0.1:9/hook", "events", List.of("policy")))
              .get("id")
              .asString();
      String sa = s.root().createServiceAccount("pod-engine", "").get("id").asString();

      CliTest.Run made =
          run(
              s,
              "engine",
              "create",
              "POD Engine Alpha",
              "--service-account",
              sa,
              "--webhook",
              hook,
              "-o",
              "json");
      assertThat(made.code()).as(made.err()).isZero();
      var engine = JSON.readTree(made.out());
      assertThat(engine.get("webhook_id").asString()).isEqualTo(hook);
      String id = engine.get("id").asString();

      CliTest.Run cleared = run(s, "engine", "update", id, "--webhook", "", "-o", "json");
      assertThat(cleared.code()).as(cleared.err()).isZero();
      assertThat(JSON.readTree(cleared.out()).get("webhook_id").isNull()).isTrue();

      CliTest.Run bad = run(s, "engine", "update", id, "--webhook", "whk_000000000000");
      assertThat(bad.code()).isNotZero();
      assertThat(bad.err()).contains("webhook_id");

      CliTest.Run set = run(s, "engine", "update", id, "--webhook", hook, "-o", "json");
      assertThat(set.code()).as(set.err()).isZero();
      assertThat(JSON.readTree(set.out()).get("webhook_id").asString()).isEqualTo(hook);
    }
  }
}
