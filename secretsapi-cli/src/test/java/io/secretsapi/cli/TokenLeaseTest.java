package io.secretsapi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsapi.client.SecretsApiClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Renewal of {@code run}'s tokens against a real broker: it renews, and a revocation sticks. */
class TokenLeaseTest {
  private static Intent intent(SecretsApiClient client, String ttl) {
    IntentOptions o = new IntentOptions();
    o.secret = "openai-prod-key";
    o.scope = "model-access";
    o.ttl = ttl;
    return Intent.of(client, o);
  }

  @Test
  void renew_beforeExpiry_issuesANewTokenAndRevokesTheIdleOldOne() throws Exception {
    try (RunFixture f = new RunFixture()) {
      SecretsApiClient root = f.server.root();
      Intent in = intent(root, "3s");
      Intent.Issued first = in.issue(root);
      TokenLease lease = new TokenLease(root, in, first, new PrintWriter(new StringWriter()));
      try {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (lease.tokenIds().size() < 2 && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(lease.tokenIds()).hasSizeGreaterThanOrEqualTo(2).startsWith(first.tokenId());
        Thread.sleep(500);
        assertThat(root.call("GET", "/tokens/" + first.tokenId(), null).get("status").asString())
            .isEqualTo("revoked");
      } finally {
        assertThat(lease.revokeAll()).isTrue();
      }
    }
  }

  @Test
  void renew_currentTokenRevokedFromOutside_stopsRenewing() throws Exception {
    try (RunFixture f = new RunFixture()) {
      SecretsApiClient root = f.server.root();
      Intent in = intent(root, "4s");
      Intent.Issued first = in.issue(root);
      StringWriter err = new StringWriter();
      TokenLease lease = new TokenLease(root, in, first, new PrintWriter(err, true));
      root.call("POST", "/access/revoke", Map.of("token_id", first.tokenId()));

      Thread.sleep(5_000);

      assertThat(lease.tokenIds()).containsExactly(first.tokenId());
      assertThat(err.toString()).contains("token " + first.tokenId() + " was revoked");
      assertThat(lease.revokeAll()).isTrue();
    }
  }
}
