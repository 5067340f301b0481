package io.secretsapi.cli;

import static io.secretsapi.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestDatabases;
import io.secretsapi.testing.TestStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code secretsapi incident open|list|get|close} against a real broker, as JSON and as tables. */
class IncidentCliTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void incident_openListGetClose_byNameAsJsonAndTable() throws Exception {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      Path value = TestDatabases.tempDir("incident-cli-").resolve("v.txt");
      Files.writeString(value, "sk-proj-incident-0123456789abcdef");
      assertThat(
              run(
                      s,
                      "secret",
                      "put",
                      "leaked-key",
                      "--provider",
                      "openai",
                      "--resource-class",
                      "model-access",
                      "--value-file",
                      value.toString())
                  .code())
          .isZero();

      CliTest.Run opened =
          run(
              s,
              "incident",
              "open",
              "--secret",
              "leaked-key",
              "--reason",
              "seen in a log",
              "-o",
              "json");
      assertThat(opened.code()).as(opened.err()).isZero();
      JsonNode in = JSON.readTree(opened.out());
      String id = in.get("id").asString();
      assertThat(in.get("timeline")).hasSize(7);

      CliTest.Run table = run(s, "incident", "list", "--state", "open", "-o", "table");
      assertThat(table.code()).as(table.err()).isZero();
      assertThat(table.out()).contains(id).contains("CONTAINMENT").doesNotContain("{\"");
      CliTest.Run got = run(s, "incident", "get", id, "-o", "json");
      assertThat(JSON.readTree(got.out()).get("state").asString()).isEqualTo("open");

      CliTest.Run closed = run(s, "incident", "close", id, "--note", "rotated", "-o", "json");
      assertThat(closed.code()).as(closed.err()).isZero();
      assertThat(JSON.readTree(closed.out()).get("state").asString()).isEqualTo("closed");
      CliTest.Run twice = run(s, "incident", "close", id, "--note", "again");
      assertThat(twice.code()).isNotZero();
      assertThat(twice.err()).contains("already closed");
    }
  }
}
