package io.secretsapi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code secretsapi env}: export lines a shell evaluates, and the same as JSON. */
class EnvCommandTest {
  private static String sh(Path script, String print) throws Exception {
    Process p =
        new ProcessBuilder("sh", "-c", ". '" + script + "' && printf '%s' " + print)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  @Test
  void env_exportLines_evaluateInAShellToABaseUrlAndATokenThatCallsTheProxy() throws Exception {
    try (RunFixture f = new RunFixture()) {
      RunFixture.Run r =
          f.cli("env", "--secret", "openai-prod-key", "--scope", "model-access", "--ttl", "5m");

      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).startsWith("# secretsapi env: token tok_").contains("not renewed");
      assertThat(r.out()).doesNotContain(RunFixture.KEY).doesNotContain(f.server.rootKey());
      Path script = f.dir.resolve("env.sh");
      Files.writeString(script, r.out());
      String base = sh(script, "\"$OPENAI_BASE_URL\"");
      String token = sh(script, "\"$OPENAI_API_KEY\"");
      assertThat(base)
          .isEqualTo(f.server.server().baseUrl() + "/proxy/" + f.upstream.host() + "/v1");
      assertThat(sh(script, "\"$SECRETSAPI_PROXY_TOKEN\"")).isEqualTo(token);

      Response call =
          f.server
              .anonymous()
              .withKey(token)
              .send(
                  "POST",
                  base.substring(f.server.server().baseUrl().length()) + "/chat/completions",
                  "{\"model\":\"gpt-4o\"}",
                  "application/json");
      assertThat(call.status()).as(call.body()).isEqualTo(200);
      assertThat(f.upstream.authorizations).containsExactly("Bearer " + RunFixture.KEY);
      assertThat(
              f.server
                  .root()
                  .call("POST", "/tokens/introspect", Map.of("token", token))
                  .get("active")
                  .asBoolean())
          .as("env neither renews nor revokes")
          .isTrue();
    }
  }

  @Test
  void env_jsonForAnthropic_givesTheAnthropicPairWithoutV1() throws Exception {
    try (RunFixture f = new RunFixture()) {
      RunFixture.Run r =
          f.cli(
              "env",
              "--secret",
              f.secretId,
              "--scope",
              "model-access",
              "--provider",
              "anthropic",
              "-o",
              "json");

      assertThat(r.code()).as(r.err()).isZero();
      JsonNode j = JsonMapper.builder().build().readTree(r.out());
      assertThat(j.get("token_id").asString()).startsWith("tok_");
      assertThat(j.get("renewed").asBoolean()).isFalse();
      JsonNode v = j.get("variables");
      assertThat(v.get("ANTHROPIC_BASE_URL").asString())
          .isEqualTo(f.server.server().baseUrl() + "/proxy/" + f.upstream.host());
      assertThat(v.get("ANTHROPIC_API_KEY").asString()).startsWith("ey");
      assertThat(v.has("OPENAI_API_KEY")).isFalse();
    }
  }

  @Test
  void quote_valueWithQuotesAndSpaces_readsBackTheSameInAShell() throws Exception {
    Path script = Files.createTempFile("quote-", ".sh");
    String tricky = "it's a $HOME `x` \"y\" \\ z";
    Files.writeString(script, "export V=" + EnvCommand.quote(tricky) + "\n");

    assertThat(sh(script, "\"$V\"")).isEqualTo(tricky);
  }

  @Test
  void runAndEnv_everyOption_hasADescription() {
    CommandLine cli = Main.commandLine();
    for (String name : List.of("run", "env")) {
      var spec = cli.getSubcommands().get(name).getCommandSpec();
      assertThat(spec.options())
          .allSatisfy(
              o ->
                  assertThat(String.join("", o.description()))
                      .as(name + " " + o.longestName())
                      .isNotBlank());
      assertThat(spec.positionalParameters())
          .allSatisfy(p -> assertThat(String.join("", p.description())).isNotBlank());
    }
  }
}
