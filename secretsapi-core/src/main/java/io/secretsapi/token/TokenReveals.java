package io.secretsapi.token;

import static java.util.Objects.requireNonNull;

import io.secretsapi.audit.AuditLog;
import io.secretsapi.policy.Decision;
import io.secretsapi.secret.CleartextSecrets;
import io.secretsapi.secret.Secret;
import io.secretsapi.storage.GroupCommit;
import java.time.Clock;
import java.util.Optional;

/**
 * Reveal ({@code POST /tokens/resolve}): the holder of a token whose scope has {@code reveal} gets
 * the secret's current value, for the services that must hold it. Like a proxied call, a reveal
 * takes one use and records its grant durably before the value leaves, and the value is the one
 * read in that same transaction: a value replaced or sealed meanwhile is never revealed, and a
 * sealed secret takes no use. Thread-safe.
 */
final class TokenReveals {
  private final TokenService tokens;
  private final TokenGate uses;
  private final GroupCommit writes;
  private final AuditLog audit;
  private final CleartextSecrets cleartext;
  private final Clock clock;

  /**
   * What the reveal's unit answers: the use's outcome and, when it was taken, the record's offset,
   * the grant after the use and the value.
   */
  private record Used(
      TokenStore.Use use, long offset, Grant grant, CleartextSecrets.Sealed value) {}

  TokenReveals(
      TokenService tokens,
      TokenGate uses,
      GroupCommit writes,
      AuditLog audit,
      CleartextSecrets cleartext,
      Clock clock) {
    this.tokens = requireNonNull(tokens, "tokens");
    this.uses = requireNonNull(uses, "uses");
    this.writes = requireNonNull(writes, "writes");
    this.audit = requireNonNull(audit, "audit");
    this.cleartext = requireNonNull(cleartext, "cleartext");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Reveals the secret value to the holder of a token whose scope has {@code reveal}. */
  Resolution resolve(String token, Optional<String> secretId, Optional<String> requestId) {
    VerifiedToken t = uses.verifyForUse(token, "token.resolve", requestId);
    if (secretId.isPresent() && !secretId.get().equals(t.secretId())) {
      throw uses.limit(
          t, "the token is for another secret than " + secretId.get(), "token.resolve", requestId);
    }
    if (!t.operations().contains(Operation.REVEAL)) {
      throw uses.limit(t, "the token's scope does not allow reveal", "token.resolve", requestId);
    }
    Secret secret = tokens.activeSecret(t.secretId());
    Decision d = uses.allowUse(t, "resolve", secret, Optional.empty(), requestId);
    AuditLog.Prepared record =
        audit.prepare(TokenGate.useAllowed("token.reveal", t, d, "value revealed", requestId));
    Used used =
        writes.submit(
            h -> {
              TokenStore.Use use = TokenStore.takeUse(h, t.id());
              if (use != TokenStore.Use.TAKEN) {
                return new Used(use, 0, null, null);
              }
              CleartextSecrets.Sealed value = CleartextSecrets.sealedCurrent(h, t.secretId());
              long o = audit.append(h, record);
              Grant after = TokenStore.find(h, t.id(), clock.instant()).orElseThrow();
              return new Used(use, o, after, value);
            });
    uses.refuseUnless(used.use(), t, "token.resolve", requestId);
    uses.granted("resolve");
    return new Resolution(
        t.secretId(),
        used.value().version(),
        cleartext.open(used.value()),
        t.id(),
        used.grant().usesRemaining(),
        AuditLog.ref(used.offset()));
  }
}
