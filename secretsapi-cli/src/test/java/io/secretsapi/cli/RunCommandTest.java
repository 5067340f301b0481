package io.secretsapi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code secretsapi run} against a real broker on loopback, starting a real command (a small Java
 * main on the same JDK) that calls the proxy with the variables it was given.
 */
class RunCommandTest {
  private static List<String> args(String ttl, List<String> command) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "run",
                "--secret",
                "openai-prod-key",
                "--scope",
                "model-access",
                "--ttl",
                ttl,
                "--"));
    a.addAll(command);
    return a;
  }

  private static Map<String, String> env(Path dir) throws Exception {
    return Files.readAllLines(dir.resolve("env.txt")).stream()
        .filter(l -> l.contains("="))
        .collect(
            Collectors.toMap(
                l -> l.substring(0, l.indexOf('=')),
                l -> l.substring(l.indexOf('=') + 1),
                (a, b) -> b));
  }

  private static void assertAllRevoked(RunFixture f, int atLeast) {
    List<JsonNode> tokens = f.tokens();
    assertThat(tokens).hasSizeGreaterThanOrEqualTo(atLeast);
    assertThat(tokens)
        .allSatisfy(
            t -> assertThat(t.get("status").asString()).as(t.toString()).isEqualTo("revoked"));
  }

  @Test
  void run_childCallsTheProxy_seesBaseUrlAndTokenNotTheKeyAndTheTokenIsRevokedAfter()
      throws Exception {
    try (RunFixture f = new RunFixture()) {
      RunFixture.Run r =
          f.cli(args("5m", RunFixture.child(f.dir, 1, 0, "0")).toArray(String[]::new));

      assertThat(r.code()).as(r.err()).isZero();
      Map<String, String> env = env(f.dir);
      assertThat(env.get("OPENAI_BASE_URL"))
          .matches("http://127\\.0\\.0\\.1:\\d+/proxy/" + f.upstream.host() + "/v1");
      assertThat(env.get("OPENAI_API_KEY"))
          .startsWith("ey")
          .isEqualTo(env.get("SECRETSAPI_PROXY_TOKEN"));
      assertThat(env.get("SECRETSAPI_PROXY_URL"))
          .isEqualTo(env.get("OPENAI_BASE_URL").replaceAll("/v1$", ""));
      String whole = Files.readString(f.dir.resolve("env.txt"));
      assertThat(whole).doesNotContain(RunFixture.KEY).doesNotContain(f.server.rootKey());
      assertThat(Files.readString(f.dir.resolve("calls.txt")))
          .startsWith("200 ")
          .contains("chatcmpl-1");
      assertThat(f.upstream.authorizations).containsExactly("Bearer " + RunFixture.KEY);
      assertAllRevoked(f, 1);
      JsonNode introspected =
          f.server
              .root()
              .call("POST", "/tokens/introspect", Map.of("token", env.get("OPENAI_API_KEY")));
      assertThat(introspected.get("active").asBoolean()).isFalse();
    }
  }

  @Test
  void run_childExitsWithAnError_answersItsCodeAndRevokes() throws Exception {
    try (RunFixture f = new RunFixture()) {
      RunFixture.Run r =
          f.cli(args("5m", RunFixture.child(f.dir, 1, 0, "3")).toArray(String[]::new));

      assertThat(r.code()).as(r.err()).isEqualTo(3);
      assertThat(Files.readString(f.dir.resolve("calls.txt"))).startsWith("200 ");
      assertAllRevoked(f, 1);
    }
  }

  @Test
  void run_childKilledBySignal_answers128PlusTheSignalAndRevokes() throws Exception {
    try (RunFixture f = new RunFixture()) {
      RunFixture.Run r =
          f.cli(args("5m", List.of("sh", "-c", "kill -KILL $$")).toArray(String[]::new));

      assertThat(r.code()).as(r.err()).isEqualTo(128 + 9);
      assertAllRevoked(f, 1);
    }
  }

  @Test
  void run_childOutlivesTheTtl_keepsCallingThroughRenewedTokens() throws Exception {
    try (RunFixture f = new RunFixture()) {
      RunFixture.Run r =
          f.cli(args("4s", RunFixture.child(f.dir, 5, 1500, "0")).toArray(String[]::new));

      assertThat(r.code()).as(r.err()).isZero();
      List<String> calls = Files.readAllLines(f.dir.resolve("calls.txt"));
      assertThat(calls).hasSize(5).allSatisfy(c -> assertThat(c).startsWith("200 "));
      assertThat(f.upstream.authorizations).hasSize(5).containsOnly("Bearer " + RunFixture.KEY);
      assertAllRevoked(f, 2);
      JsonNode introspected =
          f.server
              .root()
              .call(
                  "POST", "/tokens/introspect", Map.of("token", env(f.dir).get("OPENAI_API_KEY")));
      assertThat(introspected.get("active").asBoolean()).isFalse();
    }
  }

  @Test
  void run_commandNotFound_answers127AndRevokes() throws Exception {
    try (RunFixture f = new RunFixture()) {
      RunFixture.Run r = f.cli(args("5m", List.of("/nonexistent/agent")).toArray(String[]::new));

      assertThat(r.code()).isEqualTo(127);
      assertThat(r.err()).contains("cannot start /nonexistent/agent");
      assertAllRevoked(f, 1);
    }
  }

  @Test
  void run_scopeWithoutProxy_refusesBeforeStartingAndRevokes() throws Exception {
    try (RunFixture f = new RunFixture()) {
      f.server
          .root()
          .call(
              "POST",
              "/secrets/" + f.secretId + "/scope",
              Map.of("name", "reveal-only", "operations", List.of("reveal")));
      RunFixture.Run r =
          f.cli(
              "run",
              "--secret",
              f.secretId,
              "--scope",
              "reveal-only",
              "--",
              "sh",
              "-c",
              "touch " + f.dir.resolve("started"));

      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("does not allow the proxy operation");
      assertThat(f.dir.resolve("started")).doesNotExist();
      assertAllRevoked(f, 1);
    }
  }

  @Test
  void run_nameOfSeveralSecrets_refusesNamingTheirIds() throws Exception {
    try (RunFixture f = new RunFixture()) {
      String other =
          f.server
              .root()
              .createSecret(
                  Map.of(
                      "name", "openai-prod-key",
                      "provider", "openai",
                      "resource_class", "model-access",
                      "environment", "staging",
                      "value", "sk-proj-other-0123456789"))
              .get("id")
              .asString();
      RunFixture.Run r = f.cli(args("5m", List.of("true")).toArray(String[]::new));

      assertThat(r.code()).as("a name that matches several is a usage error").isEqualTo(2);
      assertThat(r.err())
          .contains("several secrets are named openai-prod-key")
          .contains(f.secretId)
          .contains(other);
      assertThat(f.tokens()).isEmpty();
    }
  }
}
