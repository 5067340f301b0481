package io.secretsapi.token;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A token whose signature, header, audience, times and revocation the {@link TokenVerifier} has
 * checked. Only the verifier can make one: holding a {@code VerifiedToken} is proof of that. {@link
 * #toString()} prints the id only, never the token.
 */
public final class VerifiedToken {
  private final String id;
  private final String subject;
  private final Optional<String> actor;
  private final String secretId;
  private final int secretVersion;
  private final String scope;
  private final Set<Operation> operations;
  private final Upstream upstream;
  private final List<String> ancestors;
  private final String environment;
  private final Optional<String> apiKeyId;
  private final Instant issuedAt;
  private final Instant notBefore;
  private final Instant expiresAt;
  private final String kid;

  VerifiedToken(
      String id,
      String subject,
      Optional<String> actor,
      String secretId,
      int secretVersion,
      String scope,
      Set<Operation> operations,
      Upstream upstream,
      List<String> ancestors,
      String environment,
      Optional<String> apiKeyId,
      Instant issuedAt,
      Instant notBefore,
      Instant expiresAt,
      String kid) {
    this.id = id;
    this.subject = subject;
    this.actor = actor;
    this.secretId = secretId;
    this.secretVersion = secretVersion;
    this.scope = scope;
    this.operations = Set.copyOf(operations);
    this.upstream = upstream;
    this.ancestors = List.copyOf(ancestors);
    this.environment = environment;
    this.apiKeyId = apiKeyId;
    this.issuedAt = issuedAt;
    this.notBefore = notBefore;
    this.expiresAt = expiresAt;
    this.kid = kid;
  }

  public String id() {
    return id;
  }

  public String subject() {
    return subject;
  }

  public Optional<String> actor() {
    return actor;
  }

  public String secretId() {
    return secretId;
  }

  public int secretVersion() {
    return secretVersion;
  }

  public String scope() {
    return scope;
  }

  public Set<Operation> operations() {
    return operations;
  }

  public Upstream upstream() {
    return upstream;
  }

  /** From the root to the parent; empty for a token issued directly. */
  public List<String> ancestors() {
    return ancestors;
  }

  public int depth() {
    return ancestors.size();
  }

  public String environment() {
    return environment;
  }

  public Optional<String> apiKeyId() {
    return apiKeyId;
  }

  public Instant issuedAt() {
    return issuedAt;
  }

  public Instant notBefore() {
    return notBefore;
  }

  public Instant expiresAt() {
    return expiresAt;
  }

  public String kid() {
    return kid;
  }

  @Override
  public String toString() {
    return "VerifiedToken[" + id + "]";
  }
}
