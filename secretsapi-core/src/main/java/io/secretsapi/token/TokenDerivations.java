package io.secretsapi.token;

import static java.util.Objects.requireNonNull;

import io.secretsapi.Ids;
import io.secretsapi.Inputs;
import io.secretsapi.ValidationException;
import io.secretsapi.audit.AuditEntry;
import io.secretsapi.policy.Decision;
import io.secretsapi.policy.PolicyRequest;
import io.secretsapi.secret.Secret;
import io.secretsapi.storage.Database;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Derivation: a token holder narrows its token into a child. The child keeps to the parent's
 * operations, upstream, life, uses and amount; its uses and amount are reserved out of the parent's
 * budget in the same transaction that records it, so two children can never spend the same
 * remainder. A child for another subject needs the policy gate's {@code delegate} as well as its
 * {@code derive}. Thread-safe.
 */
final class TokenDerivations {
  private final TokenService tokens;
  private final TokenGate uses;
  private final Database db;
  private final Clock clock;
  private final int maxDepth;

  /** What a derive request narrows, checked against the parent. */
  private record Narrowing(
      Set<Operation> operations,
      Upstream upstream,
      Duration ttl,
      Instant expiresAt,
      Optional<Long> maxUses,
      Optional<BigDecimal> maxAmount) {}

  TokenDerivations(TokenService tokens, TokenGate uses, Database db, Clock clock, int maxDepth) {
    this.tokens = requireNonNull(tokens, "tokens");
    this.uses = requireNonNull(uses, "uses");
    this.db = requireNonNull(db, "db");
    this.clock = requireNonNull(clock, "clock");
    this.maxDepth = maxDepth;
  }

  /** Mints a narrower child of {@code parentToken}. */
  IssuedToken derive(String parentToken, DeriveRequest req, Optional<String> requestId) {
    VerifiedToken parent = uses.verifyForUse(parentToken, "token.derive", requestId);
    Instant now = clock.instant();
    Grant pg =
        db.read(h -> TokenStore.find(h, parent.id(), now))
            .orElseThrow(() -> new TokenNotFoundException(parent.id()));
    if (!parent.operations().contains(Operation.DERIVE)) {
      throw uses.limit(parent, "the token lacks the derive operation", "token.derive", requestId);
    }
    int depth = parent.depth() + 1;
    if (depth > maxDepth) {
      throw new ValidationException(
          "depth",
          "max_depth",
          "derivations may go " + maxDepth + " levels deep; this one would be " + depth);
    }
    Narrowing n = narrowing(parent, pg, req, now);
    String subject =
        req.subject() == null ? parent.subject() : Inputs.slug("subject", req.subject(), 64);
    Secret secret = tokens.activeSecret(parent.secretId());
    Map<String, Object> attested = tokens.attestation(req.attestation());
    Optional<String> actor = parent.actor();
    if (!subject.equals(parent.subject())) {
      ask(
          parent,
          parent.subject(),
          "delegate",
          subject,
          secret,
          n.ttl(),
          Optional.empty(),
          attested,
          now,
          requestId);
      actor = Optional.of(parent.subject());
    }
    Decision d =
        ask(
            parent,
            subject,
            "derive",
            subject,
            secret,
            n.ttl(),
            n.maxAmount(),
            attested,
            now,
            requestId);
    return mint(parent, pg, n, depth, subject, actor, d, now, requestId);
  }

  /** Checks each narrowing the request asks for against what the parent holds and has left. */
  private static Narrowing narrowing(
      VerifiedToken parent, Grant pg, DeriveRequest req, Instant now) {
    Set<Operation> ops =
        req.operations() == null
            ? parent.operations()
            : Operation.parseAll("operations", req.operations());
    if (!parent.operations().containsAll(ops)) {
      throw new ValidationException(
          "operations",
          "subset",
          "operations must be a subset of the parent's: " + Operation.join(parent.operations()));
    }
    Upstream upstream =
        req.upstream() == null
            ? parent.upstream()
            : parent
                .upstream()
                .narrow(
                    "upstream",
                    Upstream.of(
                        "upstream",
                        req.upstream().hosts(),
                        req.upstream().methods(),
                        req.upstream().pathPrefixes()));
    Duration ttl = TokenService.ttl(req.ttl());
    Instant exp = Instant.ofEpochSecond(now.getEpochSecond() + ttl.toSeconds());
    if (now.plus(ttl).isAfter(parent.expiresAt())) {
      throw new ValidationException(
          "ttl",
          "parent_remaining",
          "ttl must end by the parent's expiry at "
              + parent.expiresAt()
              + "; the parent has "
              + Math.max(0, Duration.between(now, parent.expiresAt()).toSeconds())
              + "s left");
    }
    return new Narrowing(ops, upstream, ttl, exp, maxUses(pg, req), maxAmount(pg, req));
  }

  private static Optional<Long> maxUses(Grant pg, DeriveRequest req) {
    Optional<Long> maxUses = Optional.ofNullable(req.maxUses());
    if (maxUses.isPresent() && maxUses.get() < 1) {
      throw new ValidationException("max_uses", "range", "max_uses must be at least 1");
    }
    if (pg.maxUses().isPresent()) {
      long left = pg.usesRemaining().orElseThrow();
      if (maxUses.isEmpty()) {
        throw new ValidationException(
            "max_uses",
            "required",
            "max_uses is required: the parent has a limit of uses (" + left + " left)");
      }
      if (maxUses.get() > left) {
        throw new ValidationException(
            "max_uses",
            "parent_remaining",
            "max_uses must be at most " + left + ", the parent's remaining uses");
      }
    }
    return maxUses;
  }

  private static Optional<BigDecimal> maxAmount(Grant pg, DeriveRequest req) {
    Optional<BigDecimal> maxAmount = Optional.ofNullable(req.maxAmount()).map(ScopeService::amount);
    if (pg.maxAmount().isPresent()) {
      BigDecimal left = pg.amountRemaining().orElseThrow();
      if (maxAmount.isEmpty()) {
        throw new ValidationException(
            "max_amount",
            "required",
            "max_amount is required: the parent has an amount limit ("
                + left.toPlainString()
                + " left)");
      }
      if (maxAmount.get().compareTo(left) > 0) {
        throw new ValidationException(
            "max_amount",
            "parent_remaining",
            "max_amount must be at most "
                + left.toPlainString()
                + ", the parent's remaining amount");
      }
    }
    return maxAmount;
  }

  /**
   * Asks the policy gate whether {@code principal} may have {@code operation} for {@code subject},
   * on the parent holder's behalf; a refusal is recorded and thrown.
   */
  private Decision ask(
      VerifiedToken parent,
      String principal,
      String operation,
      String subject,
      Secret secret,
      Duration ttl,
      Optional<BigDecimal> amount,
      Map<String, Object> attested,
      Instant now,
      Optional<String> requestId) {
    return uses.allow(
        parent.subject(),
        new PolicyRequest(
            principal,
            "",
            operation,
            secret,
            Optional.of(ttl),
            amount,
            parent.environment(),
            attested,
            Optional.of(subject),
            now),
        parent.scope(),
        requestId);
  }

  /**
   * Signs the child and records it ({@link TokenService#mint}); in the same unit the parent's row
   * is locked and the child's uses and amount are taken from what it has left (checked again, since
   * another child may have taken them meanwhile).
   */
  private IssuedToken mint(
      VerifiedToken parent,
      Grant pg,
      Narrowing n,
      int depth,
      String subject,
      Optional<String> actor,
      Decision d,
      Instant now,
      Optional<String> requestId) {
    List<String> ancestors = new ArrayList<>(parent.ancestors());
    ancestors.add(parent.id());
    String id = Ids.random("tok_", 16);
    Grant draft =
        new Grant(
            id,
            Optional.of(parent.id()),
            ancestors.get(0),
            depth,
            List.copyOf(ancestors),
            parent.secretId(),
            parent.secretVersion(),
            parent.scope(),
            n.operations(),
            n.upstream(),
            subject,
            actor,
            pg.serviceAccountId(),
            parent.apiKeyId(),
            parent.environment(),
            now,
            n.expiresAt(),
            n.maxUses(),
            0,
            n.maxAmount(),
            BigDecimal.ZERO,
            n.maxAmount().isPresent() ? pg.amountField() : Optional.empty(),
            "active",
            Optional.empty(),
            d.ref(),
            0);
    Optional<Long> maxUses = n.maxUses();
    Optional<BigDecimal> maxAmount = n.maxAmount();
    return tokens.mint(
        draft,
        AuditEntry.of("token.derive", actor.orElse(parent.subject()), "allow")
            .subject(subject)
            .secret(parent.secretId())
            .token(id)
            .scope(parent.scope())
            .policy(TokenService.ref(d.ref()))
            .environment(parent.environment())
            .reason("derived from " + parent.id() + ": " + d.reason())
            .requestId(requestId.orElse(null))
            .build(),
        d,
        h -> {
          Grant locked = tokens.lockGrant(h, parent.id(), now);
          if (maxUses.isPresent()
              && locked.maxUses().isPresent()
              && !TokenStore.reserveUses(h, parent.id(), maxUses.get())) {
            throw new ValidationException(
                "max_uses",
                "parent_remaining",
                "the parent no longer has " + maxUses.get() + " uses left");
          }
          if (maxAmount.isPresent() && locked.maxAmount().isPresent()) {
            BigDecimal used = locked.amountUsed().add(maxAmount.get());
            if (used.compareTo(locked.maxAmount().get()) > 0) {
              throw new ValidationException(
                  "max_amount", "parent_remaining", "the parent no longer has that amount left");
            }
            TokenStore.setAmountUsed(h, parent.id(), used);
          }
        });
  }
}
