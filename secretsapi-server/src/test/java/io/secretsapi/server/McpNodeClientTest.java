package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.secretsapi.testing.TestStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The official MCP TypeScript SDK's client ({@code examples/mcp-node}, its pinned {@code
 * @modelcontextprotocol/sdk}) drives {@code /mcp} with a bearer API key: initialize, list tools,
 * request a token, call a loopback upstream through the proxy, revoke. The secret's value appears
 * nowhere in what the client printed.
 *
 * <p>Installs the SDK itself ({@code npm ci}) when {@code node_modules} is missing. Without {@code
 * node} on the PATH it fails on CI ({@code .ci/run} installs Debian's {@code nodejs} and {@code
 * npm}) and is skipped, saying so, elsewhere.
 */
class McpNodeClientTest {
  static final Path EXAMPLE = Path.of("").toAbsolutePath().getParent().resolve("examples/mcp-node");

  @Test
  void mcpTypeScriptSdk_roundTrip_issuesCallsAndRevokesWithoutTheSecret() throws Exception {
    requireNode();
    installSdk();
    try (LoopbackUpstream up = new LoopbackUpstream();
        TestServer s = ProxyHttpTest.server(TestStore.SQLITE, up)) {
      String secretId = McpEndpointTest.secret(s.root(), up.host());
      ProcessBuilder pb = new ProcessBuilder("node", "agent.mjs").directory(EXAMPLE.toFile());
      pb.environment().put("SECRETSAPI_ADDR", s.server().baseUrl());
      pb.environment().put("SECRETSAPI_KEY", s.rootKey());
      pb.environment().put("SECRETSAPI_SECRET_ID", secretId);
      pb.environment().put("SECRETSAPI_UPSTREAM", up.host());
      Process node = pb.start();
      try {
        String stdout = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(node.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("node ends").isTrue();
        assertThat(node.exitValue()).as(stdout + stderr).isZero();
        assertThat(stdout)
            .contains("tools request_token derive_token revoke_token list_grants call_upstream")
            .containsPattern("issued tok_\\S+ AU-[0-9]+")
            .containsPattern("upstream 400 AU-[0-9]+")
            .containsPattern("revoked tok_\\S+ AU-[0-9]+")
            .doesNotContain(McpEndpointTest.CANARY);
        assertThat(up.got.get(0).get("authorization"))
            .isEqualTo("Bearer " + McpEndpointTest.CANARY);
        assertThat(s.auditRecords())
            .noneMatch(r -> r.contains(McpEndpointTest.CANARY))
            .anyMatch(
                r ->
                    r.contains("\"type\":\"token.issue\"")
                        && r.contains("tools/call request_token (client secretsapi-mcp-node)"));
      } finally {
        node.destroyForcibly();
      }
    }
  }

  private static void requireNode() {
    boolean found;
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      found = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      found = false;
    }
    if (!found && System.getenv("CI") != null) {
      fail("node is not on the PATH on CI: .ci/run installs Debian's nodejs and npm when missing");
    }
    Assumptions.assumeTrue(
        found,
        "SKIPPED: node is not on the PATH, so the official MCP TypeScript SDK check did not run"
            + " (install nodejs and npm; on CI this fails instead)");
  }

  /** {@code npm ci} in the example when its SDK is not installed. */
  private static void installSdk() throws Exception {
    assertThat(EXAMPLE.resolve("package-lock.json")).exists();
    if (Files.isDirectory(EXAMPLE.resolve("node_modules/@modelcontextprotocol/sdk"))) {
      return;
    }
    Process npm =
        new ProcessBuilder(List.of("npm", "ci", "--no-audit", "--no-fund"))
            .directory(EXAMPLE.toFile())
            .redirectErrorStream(true)
            .start();
    String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(npm.waitFor(5, TimeUnit.MINUTES)).as("npm ci ends").isTrue();
    assertThat(npm.exitValue()).as("npm ci: " + log).isZero();
  }
}
