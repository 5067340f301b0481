package io.secretsapi.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsapi.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The documents' shell, as far as DocExamplesTest understands it. */
class DocShellTest {
  private final Path dir = TestDatabases.tempDir("docshell-");
  private final DocShell shell = new DocShell(dir, Map.of("sk_...", "SECRETSAPI_TOKEN"), l -> null);

  private static ShellLines.Line line(String text) {
    return new ShellLines.Line(1, text, null, null);
  }

  @Test
  void words_childAfterDashes_isPassedAsWrittenToTheRealProcess() throws Exception {
    shell.env.put("SECRETSAPI_ADDR", "http://127.0.0.1:1");

    List<String> words =
        shell.words(
            "secretsapi run --secret openai-prod-key --token-out token.jwt -- sh -c 'echo"
                + " \"$OPENAI_BASE_URL\" > out.txt'",
            line(""));

    assertThat(words)
        .containsExactly(
            "secretsapi",
            "run",
            "--secret",
            "openai-prod-key",
            "--token-out",
            dir.resolve("token.jwt").toString(),
            "--",
            "sh",
            "-c",
            "echo \"$OPENAI_BASE_URL\" > out.txt");
  }

  @Test
  void words_variablesAndCatSubstitution_expandOutsideSingleQuotes() throws Exception {
    Files.writeString(dir.resolve("agent.key"), "sk_abc\n");
    shell.env.put("X", "x-value");

    List<String> words = shell.words("a \"$X\" '$X' ${X} \"$(cat agent.key)\"", line(""));

    assertThat(words).containsExactly("a", "x-value", "$X", "x-value", "sk_abc");
  }

  @Test
  void line_exportAndEval_setTheDocumentsEnvironmentAndPlaceholdersKeepTheBrokers()
      throws Exception {
    shell.env.put("SECRETSAPI_TOKEN", "the-test-brokers-root-key");

    shell.line(line("export SECRETSAPI_TOKEN=sk_... OPENAI_BASE_URL=http://127.0.0.1:9/v1"));
    shell.line(line("eval \"export OPENAI_API_KEY=eyJ.token\""));

    assertThat(shell.env)
        .containsEntry("SECRETSAPI_TOKEN", "the-test-brokers-root-key")
        .containsEntry("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
        .containsEntry("OPENAI_API_KEY", "eyJ.token");
  }

  @Test
  void line_unknownCommand_failsNamingIt() {
    assertThatThrownBy(() -> shell.line(line("rm -rf data")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("not recognised")
        .hasMessageContaining("rm -rf data");
  }

  @Test
  void of_markdown_joinsContinuationsDropsCommentsAndKeepsHeredocs() {
    String md =
        "text\n```sh\n# a comment\nsecretsapi secret get \\\n  openai-prod-key   # by name\n"
            + "cat > policy.yaml <<'YAML'\nrules: []\nYAML\n```\n```json\n{}\n```\n";

    List<ShellLines.Line> lines = ShellLines.of(md);

    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).text()).isEqualTo("secretsapi secret get  openai-prod-key");
    assertThat(lines.get(0).number()).isEqualTo(4);
    assertThat(lines.get(1).file()).isEqualTo("policy.yaml");
    assertThat(lines.get(1).body()).isEqualTo("rules: []\n");
  }
}
