package io.secretsapi.token;

import static java.util.Objects.requireNonNull;

import io.secretsapi.audit.AuditLog;
import io.secretsapi.policy.Decision;
import io.secretsapi.secret.CleartextSecrets;
import io.secretsapi.secret.Secret;
import io.secretsapi.storage.Database;
import io.secretsapi.storage.GroupCommit;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Optional;

/**
 * The gate of the injecting proxy: one verified token, one call. Checks that the token's scope has
 * {@code proxy} and reaches this host, method and path, takes one use and the call's amount from
 * what is left, asks the policy gate, and records the grant of the call, durably, before anything
 * is forwarded. The same transaction reads the secret's current value, still sealed, for the caller
 * to open. Each refusal is recorded too and names why.
 */
public final class ProxyGrants {
  private final TokenService tokens;
  private final TokenGate uses;
  private final Database db;
  private final GroupCommit writes;
  private final AuditLog audit;
  private final Clock clock;
  private final com.github.benmanes.caffeine.cache.Cache<String, Caps> caps =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
          .maximumSize(100_000)
          .expireAfterWrite(java.time.Duration.ofMinutes(1))
          .build();

  /** A grant's amount cap, which never changes: whether it has one, and the field it reads. */
  private record Caps(boolean amountCapped, Optional<String> amountField) {}

  /** A refusal inside the grant's unit of work: rolls back whatever the unit had written. */
  private static final class Refused extends RuntimeException {
    private final TokenStore.Use use;

    Refused(String why) {
      super(why, null, false, false);
      this.use = TokenStore.Use.TAKEN;
    }

    /** The grant's use was not taken: none is left, or a revocation reached it. */
    Refused(TokenStore.Use use) {
      super(use.name(), null, false, false);
      this.use = use;
    }
  }

  /** One call to authorize: where it goes, and the amount its body spends (when it has one). */
  public record Call(String host, String method, String path, Optional<BigDecimal> amount) {}

  /**
   * An authorized call: the token as verified, its secret, the secret's current value as the grant
   * read it (still sealed), and the record of the grant.
   */
  public record Authorized(
      VerifiedToken token, String secretId, CleartextSecrets.Sealed value, String auditRef) {}

  ProxyGrants(
      TokenService tokens,
      TokenGate uses,
      Database db,
      GroupCommit writes,
      AuditLog audit,
      Clock clock) {
    this.db = requireNonNull(db, "db");
    this.tokens = requireNonNull(tokens, "tokens");
    this.uses = requireNonNull(uses, "uses");
    this.writes = requireNonNull(writes, "writes");
    this.audit = requireNonNull(audit, "audit");
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * The amount field the token's grant reads from a body, if its scope caps an amount. A grant's
   * caps never change, so the answer is kept per token for a minute.
   */
  public Optional<String> amountField(VerifiedToken t) {
    return caps(t).amountField();
  }

  private Caps caps(VerifiedToken t) {
    return caps.get(
        t.id(),
        id ->
            db.read(h -> TokenStore.find(h, id, clock.instant()))
                .filter(g -> g.maxAmount().isPresent())
                .map(g -> new Caps(true, g.amountField()))
                .orElse(new Caps(false, Optional.empty())));
  }

  /**
   * Authorizes {@code call} for the holder of {@code token}.
   *
   * @throws InvalidTokenException when the token does not verify, expired or was revoked
   * @throws TokenLimitException when the scope does not reach the call, or uses or amount ran out
   * @throws io.secretsapi.policy.PolicyDeniedException when the policy gate refuses
   */
  public Authorized authorize(String token, Call call, Optional<String> requestId) {
    return authorize(verify(token, requestId), call, requestId);
  }

  /**
   * Verifies a token presented to the proxy; a genuine one refused for its time or a revocation is
   * recorded as a refused {@code token.proxy}.
   *
   * @throws InvalidTokenException when the token does not verify, expired or was revoked
   */
  public VerifiedToken verify(String token, Optional<String> requestId) {
    return uses.verifyForUse(token, "token.proxy", requestId);
  }

  /** As {@link #authorize(String, Call, Optional)}, for a token already verified. */
  public Authorized authorize(VerifiedToken t, Call call, Optional<String> requestId) {
    Authorized granted = take(t, call, requestId);
    uses.granted("proxy"); // counted once its record is durable
    return granted;
  }

  /** Checks the call against the scope and the gate, and takes a use, recorded; or refuses. */
  private Authorized take(VerifiedToken t, Call call, Optional<String> requestId) {
    String what = call.method() + " " + call.host() + call.path();
    Optional<String> outside = outsideScope(t, call);
    if (outside.isPresent()) {
      throw uses.limit(t, outside.get(), "token.proxy", requestId);
    }
    if (call.amount().isPresent() && call.amount().get().signum() < 0) {
      throw uses.limit(t, "the call's amount is negative", "token.proxy", requestId);
    }
    if (call.amount().isPresent() && !Amounts.inRange(call.amount().get())) {
      throw uses.limit(
          t,
          "the call's amount is out of range: at most 18 digits and 6 decimals",
          "token.proxy",
          requestId);
    }
    Secret secret = tokens.activeSecret(t.secretId());
    Decision d = uses.allowUse(t, "proxy", secret, call.amount(), requestId);
    AuditLog.Prepared record =
        audit.prepare(TokenGate.useAllowed("token.proxy", t, d, what, requestId));
    boolean capped = caps(t).amountCapped();
    try {
      return writes.submit(
          h -> {
            // The use first: its conditional update also takes the row's lock on PostgreSQL.
            TokenStore.Use use = TokenStore.takeUse(h, t.id());
            if (use != TokenStore.Use.TAKEN) {
              throw new Refused(use);
            }
            if (capped) {
              spend(h, t, call);
            }
            // The value in the same transaction: a secret sealed meanwhile grants nothing.
            CleartextSecrets.Sealed value = CleartextSecrets.sealedCurrent(h, t.secretId());
            return new Authorized(t, secret.id(), value, AuditLog.ref(audit.append(h, record)));
          });
    } catch (Refused r) {
      uses.refuseUnless(r.use, t, "token.proxy", requestId);
      throw uses.limit(t, r.getMessage(), "token.proxy", requestId);
    }
  }

  /**
   * Why {@code call} is outside what {@code t}'s scope lets the proxy do, or empty when it is
   * inside: the one reading of a scope's operations and upstream that the proxy applies.
   */
  static Optional<String> outsideScope(VerifiedToken t, Call call) {
    if (!t.operations().contains(Operation.PROXY)) {
      return Optional.of("the token's scope does not allow proxy");
    }
    return t.upstream().refuses(call.host(), call.method(), call.path());
  }

  /** Takes the call's amount from what the grant has left, or refuses (rolling the use back). */
  private void spend(org.jdbi.v3.core.Handle h, VerifiedToken t, Call call) {
    Grant g = tokens.lockGrant(h, t.id(), clock.instant());
    if (call.amount().isEmpty()) {
      throw new Refused(
          "the body has no " + g.amountField().orElse("amount") + ", which the scope caps");
    }
    BigDecimal used = g.amountUsed().add(call.amount().get());
    if (used.compareTo(g.maxAmount().orElseThrow()) > 0) {
      throw new Refused(
          "the call's amount "
              + call.amount().get().toPlainString()
              + " is more than the "
              + g.maxAmount().get().subtract(g.amountUsed()).toPlainString()
              + " left");
    }
    TokenStore.setAmountUsed(h, t.id(), used);
  }
}
