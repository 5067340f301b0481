package io.secretsapi.testing;

import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.secret.NewSecret;
import io.secretsapi.secret.Secret;
import io.secretsapi.token.IssueRequest;
import io.secretsapi.token.IssuedToken;
import io.secretsapi.token.NewScope;
import java.util.List;
import java.util.Optional;

/**
 * The setting of the source documents: an OpenAI key stored by the root account, a {@code
 * model-access} scope, policy {@code KEY-SCOPE-17} letting {@code agent-runtime-*} principals use
 * model-access secrets, and the principal {@code agent-runtime-04}.
 */
public final class TokenFixture implements AutoCloseable {
  public static final String POLICY =
      """
      id: KEY-SCOPE-17
      description: agents may use model-access secrets
      rules:
        - id: agents-model-access
          effect: allow
          principals: ["agent-runtime-*"]
          resources:
            resource_classes: [model-access]
          operations: [issue, derive, resolve, proxy]
      """;

  public final Broker b;
  public final Secret secret;
  public final Caller agent;

  public TokenFixture(Broker b, NewScope scope) {
    this.b = b;
    this.secret =
        b.vault()
            .create(
                b.root(),
                new NewSecret(
                    "openai-prod-key",
                    "openai",
                    "model-access",
                    "production",
                    "AI Platform",
                    List.of("llm"),
                    "sk-proj-CANARY-0123456789abcdef",
                    null));
    b.core().scopes().define(b.root(), secret.id(), scope);
    b.core().policies().put(b.root(), "KEY-SCOPE-17", POLICY);
    this.agent = b.principal("agent-runtime-04", Scope.TOKENS_ISSUE);
  }

  /** The source documents' scope: proxy and reveal and derive, api.openai.com, 15 minutes. */
  public static NewScope modelAccess() {
    return new NewScope(
        "model-access",
        List.of("proxy", "reveal", "derive"),
        new NewScope.UpstreamSpec(
            List.of("api.openai.com"), List.of("GET", "POST"), List.of("/v1")),
        "15m",
        null,
        null,
        null);
  }

  @Override
  public void close() {
    b.close();
  }

  public static TokenFixture start(TestStore store) {
    return new TokenFixture(Broker.start(store), modelAccess());
  }

  /** Issues for the agent, with the source documents' request. */
  public IssuedToken issue(String ttl) {
    return b.core()
        .tokens()
        .issue(
            agent,
            new IssueRequest(
                secret.id(), "model-access", ttl, "agent-runtime-04", "production", null),
            Optional.empty());
  }
}
