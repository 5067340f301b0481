package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.testing.TestStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
  static final Path EXAMPLE = NodeExamples.example("mcp-node");

  @Test
  void mcpTypeScriptSdk_roundTrip_issuesCallsAndRevokesWithoutTheSecret() throws Exception {
    NodeExamples.requireNode("the official MCP TypeScript SDK check");
    NodeExamples.install(EXAMPLE, "@modelcontextprotocol/sdk");
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
}
