package io.secretsapi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.Response;
import io.secretsapi.server.TestServer;
import io.secretsapi.testing.TestDatabases;
import io.secretsapi.testing.TestStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A broker on loopback whose proxy may reach a provider stand-in, an OpenAI secret named {@code
 * openai-prod-key} with a scope {@code model-access} that may proxy to the stand-in, and a policy
 * that lets root do everything: what {@code secretsapi run} and {@code env} are tried against.
 */
final class RunFixture implements AutoCloseable {
  static final String KEY = "sk-proj-run-0123456789abcdefXYZ";
  static final String POLICY =
      "rules:\n  - id: root-all\n    effect: allow\n    principals: [root]\n    operations: ['*']\n";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** What a command printed and answered. */
  record Run(int code, String out, String err) {}

  final ProviderStandIn upstream;
  final TestServer server;
  final String secretId;
  final Path dir;

  RunFixture() throws Exception {
    upstream = new ProviderStandIn();
    server =
        TestServer.start(TestStore.SQLITE, Map.of("proxy.insecure_upstreams", upstream.host()));
    Response p = server.root().send("PUT", "/policies/KEY-SCOPE-17", POLICY, "application/yaml");
    assertThat(p.status()).as(p.body()).isEqualTo(200);
    secretId =
        server
            .root()
            .createSecret(
                Map.of(
                    "name", "openai-prod-key",
                    "provider", "openai",
                    "resource_class", "model-access",
                    "environment", "production",
                    "value", KEY))
            .get("id")
            .asString();
    Map<String, Object> scope =
        Map.of(
            "name",
            "model-access",
            "operations",
            List.of("proxy"),
            "upstream",
            Map.of(
                "hosts",
                List.of(upstream.host()),
                "methods",
                List.of("POST", "GET"),
                "path_prefixes",
                List.of("/v1")),
            "max_ttl",
            "15m");
    Response r =
        server
            .root()
            .send(
                "POST",
                "/secrets/" + secretId + "/scope",
                JSON.writeValueAsString(scope),
                "application/json");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    dir = TestDatabases.tempDir("run-");
  }

  /** Runs the CLI in this JVM against the broker, with the root key. */
  Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args.clone()));
    int dashes = all.indexOf("--");
    int at = dashes < 0 ? all.size() : dashes;
    all.add(at, "--token=" + server.rootKey());
    all.add(at, "--addr=" + server.server().baseUrl());
    int code =
        Main.run(
            new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  /** The command line that starts {@link RunChild} with the same JDK. */
  static List<String> child(Path dir, int calls, long pauseMillis, String code) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    String cp =
        Path.of(RunChild.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    return List.of(
        java,
        "-cp",
        cp,
        RunChild.class.getName(),
        dir.toString(),
        String.valueOf(calls),
        String.valueOf(pauseMillis),
        code);
  }

  /** Every token of the secret, as the inventory lists them. */
  List<JsonNode> tokens() {
    List<JsonNode> l = new ArrayList<>();
    server
        .root()
        .call("GET", "/tokens?secret_id=" + secretId + "&limit=500", null)
        .get("items")
        .forEach(l::add);
    return l;
  }

  @Override
  public void close() {
    server.close();
    upstream.close();
  }
}
