package io.secretsapi.token;

import static java.util.Objects.requireNonNull;

import io.secretsapi.Durations;
import io.secretsapi.Page;
import io.secretsapi.ValidationException;
import io.secretsapi.access.AccessService;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.crypto.SigningKeys;
import io.secretsapi.policy.Attestations;
import io.secretsapi.policy.Decision;
import io.secretsapi.policy.PolicyEngine;
import io.secretsapi.policy.PolicyRef;
import io.secretsapi.secret.CleartextSecrets;
import io.secretsapi.secret.Secret;
import io.secretsapi.secret.SecretNotFoundException;
import io.secretsapi.secret.SecretSealedException;
import io.secretsapi.secret.Vault;
import io.secretsapi.storage.Database;
import io.secretsapi.storage.Dialect;
import io.secretsapi.storage.Jdbc;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * Scoped tokens for one intent: issue through the policy gate, derive narrower children,
 * introspect, resolve a value, list, trace lineage, and revoke with cascade.
 *
 * <p>Invariants: a token never outlives its scope's {@code max_ttl}, the policy's {@code max_ttl},
 * or its parent; a child never holds an operation, upstream, use or amount its parent lacks (uses
 * and amount are reserved out of the parent's budget when the child is made). Every grant and
 * refusal is written to the audit trail before the answer. Thread-safe.
 */
public final class TokenService {
  /** How deep derivations may go by default: root (0) to great-great-grandchild (4). */
  public static final int DEFAULT_MAX_DEPTH = 4;

  private final Database db;
  private final io.secretsapi.storage.GroupCommit writes;
  private final RevocationService revocationService;
  private final ProxyGrants proxyGrants;
  private final TokenIssuance issuance;
  private final TokenReveals reveals;
  private final TokenDerivations derivations;
  private final TokenGate uses;
  private final com.github.benmanes.caffeine.cache.Cache<String, Secret> secrets =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
          .maximumSize(10_000)
          .expireAfterWrite(Duration.ofSeconds(1))
          .build();
  private final Vault vault;
  private final SigningKeys keys;
  private final TokenVerifier verifier;
  private final RevocationIndex revocations;
  private final AuditLog audit;
  private final AccessService access;
  private final Attestations attestations;
  private final Clock clock;
  private final io.secretsapi.approval.Approvals approvals;

  /** Everything the service stands on. */
  public record Parts(
      Database db,
      io.secretsapi.storage.GroupCommit writes,
      Vault vault,
      ScopeService scopes,
      PolicyEngine gate,
      SigningKeys keys,
      TokenVerifier verifier,
      RevocationIndex revocations,
      AuditLog audit,
      CleartextSecrets cleartext,
      AccessService access,
      Attestations attestations,
      Clock clock,
      int maxDepth,
      io.micrometer.core.instrument.MeterRegistry meters) {}

  public TokenService(Parts p) {
    this.db = requireNonNull(p.db(), "db");
    this.writes = requireNonNull(p.writes(), "writes");
    this.vault = p.vault();
    this.keys = p.keys();
    this.verifier = p.verifier();
    this.revocations = p.revocations();
    this.audit = p.audit();
    this.access = p.access();
    this.attestations = p.attestations();
    this.clock = p.clock();
    revocations.catchUp(db);
    this.uses =
        new TokenGate(
            p.gate(), p.verifier(), writes, p.audit(), p.clock(), new GrantMeters(p.meters()));
    this.revocationService =
        new RevocationService(db, writes, vault, access, audit, revocations, clock);
    vault.onSeal((h, secretId, at) -> secrets.invalidate(secretId));
    this.proxyGrants = new ProxyGrants(this, uses, db, writes, audit, clock);
    this.approvals = new io.secretsapi.approval.Approvals(db, writes, audit, clock);
    this.issuance = new TokenIssuance(this, uses, p.scopes(), approvals, clock);
    this.reveals = new TokenReveals(this, uses, writes, audit, p.cleartext(), clock);
    this.derivations = new TokenDerivations(this, uses, db, clock, p.maxDepth());
  }

  /** Human approval of the grants a policy rule holds back (design 0030). */
  public io.secretsapi.approval.Approvals approvals() {
    return approvals;
  }

  /** The gate of the injecting proxy. */
  public ProxyGrants proxy() {
    return proxyGrants;
  }

  /** Issues a token for one scope of one secret, if the policy gate allows. */
  public IssuedToken issue(Caller caller, IssueRequest req, Optional<String> requestId) {
    return issuance.issue(caller, req, requestId);
  }

  /** Mints a narrower child of {@code parentToken}. */
  public IssuedToken derive(String parentToken, DeriveRequest req, Optional<String> requestId) {
    return derivations.derive(parentToken, req, requestId);
  }

  /**
   * RFC 7662 introspection: the claims of an active token, or only {@code active: false} for any
   * token that is not (malformed, expired, revoked, unknown), without saying why.
   */
  public Map<String, Object> introspect(String token) {
    VerifiedToken t;
    try {
      t = verifier.verify(token);
    } catch (InvalidTokenException e) {
      return Map.of("active", false);
    }
    Instant now = clock.instant();
    Optional<Grant> g = db.read(h -> TokenStore.find(h, t.id(), now));
    if (g.isEmpty() || !g.get().status().equals("active")) {
      return Map.of("active", false);
    }
    Grant grant = g.get();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("active", true);
    m.put("scope", t.scope());
    m.put("client_id", grant.serviceAccountId());
    m.put("username", t.subject());
    m.put("token_type", "Bearer");
    m.put("exp", t.expiresAt().getEpochSecond());
    m.put("iat", t.issuedAt().getEpochSecond());
    m.put("nbf", t.notBefore().getEpochSecond());
    m.put("sub", t.subject());
    t.actor().ifPresent(a -> m.put("act", Map.of("sub", a)));
    m.put("aud", TokenVerifier.AUDIENCE);
    m.put("iss", TokenVerifier.ISSUER);
    m.put("jti", t.id());
    m.put("secret_id", t.secretId());
    m.put("secret_version", t.secretVersion());
    m.put("operations", Operation.wires(t.operations()));
    m.put("upstream", t.upstream().toMap());
    m.put("ancestors", t.ancestors());
    m.put("depth", t.depth());
    m.put("environment", t.environment());
    m.put("max_uses", grant.maxUses().orElse(null));
    m.put("uses", grant.uses());
    m.put("uses_remaining", grant.usesRemaining().orElse(null));
    m.put("max_amount", grant.maxAmount().map(BigDecimal::toPlainString).orElse(null));
    m.put("amount_used", grant.amountUsed().toPlainString());
    m.put("policy_ref", policyMap(grant.policy()));
    return m;
  }

  /** Reveals the secret value to the holder of a token whose scope has {@code reveal}. */
  public Resolution resolve(String token, Optional<String> secretId, Optional<String> requestId) {
    return reveals.resolve(token, secretId, requestId);
  }

  /** The token inventory the caller may see: one page of {@link #page}, without its cursor. */
  public List<Grant> list(Caller caller, TokenFilter filter) {
    return page(caller, filter).items();
  }

  /**
   * A page of the token inventory the caller may see (its account's tokens and tokens of its
   * secrets), newest first, and the cursor of the next page. A page costs the same at any depth
   * when followed by cursor (design 0023).
   */
  public Page<Grant> page(Caller caller, TokenFilter filter) {
    caller.require(Scope.AUDIT_READ);
    requireNonNull(filter, "filter");
    if (filter.limit() < 1 || filter.limit() > 500) {
      throw new ValidationException("limit", "range", "limit must be between 1 and 500");
    }
    if (filter.offset() < 0) {
      throw new ValidationException("offset", "range", "offset must not be negative");
    }
    if (filter.offset() > 0 && filter.cursor().isPresent()) {
      throw new ValidationException(
          "cursor", "exclusive", "cursor and offset cannot be combined; follow next_cursor alone");
    }
    filter
        .status()
        .ifPresent(
            s -> {
              if (!Set.of("active", "expired", "revoked").contains(s)) {
                throw new ValidationException(
                    "status", "enum", "status must be active, expired or revoked");
              }
            });
    Optional<String> account =
        caller.has(Scope.ADMIN) ? Optional.empty() : Optional.of(caller.serviceAccountId());
    return db.read(h -> TokenListing.page(h, filter, account, clock.instant(), db.dialect()));
  }

  /** The family tree of a token: from its root to every descendant, each with its status. */
  public Lineage lineage(Caller caller, String tokenId) {
    caller.require(Scope.AUDIT_READ);
    Grant g = visible(caller, tokenId);
    List<Grant> family = db.read(h -> TokenStore.byRoot(h, g.rootId(), clock.instant()));
    String secretStatus = vault.find(g.secretId()).map(Secret::status).orElse("sealed");
    return Lineage.of(g.secretId(), secretStatus, g.rootId(), family);
  }

  /** One grant visible to the caller. */
  public Grant get(Caller caller, String tokenId) {
    caller.require(Scope.AUDIT_READ);
    return visible(caller, tokenId);
  }

  /**
   * Revokes a token (and by default its subtree), every token of a secret, of a principal, or of an
   * API key (and the key). Holds before this returns; idempotent.
   */
  public Revocation revoke(Caller caller, RevokeRequest req, Optional<String> requestId) {
    return revocationService.revoke(caller, req, requestId);
  }

  /**
   * As {@link #revoke(Caller, RevokeRequest, Optional)}, with {@code within} run in the
   * revocation's own transaction (after the token rows, before its record), so that what it writes
   * commits with the revocation or not at all.
   */
  public Revocation revoke(
      Caller caller, RevokeRequest req, Optional<String> requestId, Consumer<Handle> within) {
    return revocationService.revoke(caller, req, requestId, requireNonNull(within, "within"));
  }

  /** Refuses a new grant of a secret that an open incident contains. */
  void refuseIfContained(String secretId) {
    var block = revocations.blocks().of(secretId);
    if (block.isPresent()) {
      throw new SecretContainedException(secretId, block.get().incidentId());
    }
  }

  /**
   * Issues a replacement of grant {@code old} of a contained secret, for the same principal, scope,
   * operations and upstream, at the secret's current version, living {@code ttl}: the one grant an
   * incident issues while it blocks the secret, so it passes neither the block nor the policy gate
   * (whose escalation denies the secret); it is recorded as {@code token.issue} by {@code actor},
   * naming the incident and the grant it replaces.
   */
  public IssuedToken issueReplacement(
      Grant old, java.time.Duration ttl, String incidentId, String actor) {
    secrets.invalidate(old.secretId()); // the incident has just rotated it: its version, fresh
    Secret secret = activeSecret(old.secretId());
    // A token's issue time is signed in whole seconds, and the secret's revocation covers every
    // grant issued at or before it: the replacement is dated the next whole second, within the
    // verifier's skew, so the revocation it follows does not cover it.
    Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond() + 1);
    Instant exp = Instant.ofEpochSecond(now.getEpochSecond() + Math.max(1, ttl.toSeconds()));
    String id = io.secretsapi.Ids.random("tok_", 16);
    PolicyRef ref = new PolicyRef("incident", 0, incidentId);
    String why = "replacement of " + old.id() + " issued by incident " + incidentId;
    Decision d = new Decision(true, ref, why, Optional.empty(), List.of());
    Grant draft =
        new Grant(
            id,
            Optional.empty(),
            id,
            0,
            List.of(),
            old.secretId(),
            secret.currentVersion(),
            old.scope(),
            old.operations(),
            old.upstream(),
            old.subject(),
            Optional.empty(),
            old.serviceAccountId(),
            Optional.empty(),
            old.environment(),
            now,
            exp,
            old.usesRemaining(),
            0,
            old.amountRemaining(),
            BigDecimal.ZERO,
            old.amountField(),
            "active",
            Optional.empty(),
            ref,
            0);
    return mint(
        draft,
        AuditEntry.of("token.issue", actor, "allow")
            .subject(old.subject())
            .secret(old.secretId())
            .token(id)
            .scope(old.scope())
            .policy(ref(ref))
            .environment(old.environment())
            .reason(why)
            .build(),
        d,
        h -> {});
  }

  /** Live grants of {@code secretId}, shallowest first: what an incident contains. */
  public List<Grant> liveGrants(String secretId) {
    Instant now = clock.instant();
    return db.read(
        h ->
            h.createQuery(
                    "SELECT * FROM tokens WHERE secret_id = :s AND status = 'active'"
                        + " AND expires_at > :now ORDER BY depth, issued_at, id")
                .bind("s", secretId)
                .bind("now", now.toEpochMilli())
                .map((rs, c) -> TokenStore.grant(rs, now))
                .list());
  }

  private Grant visible(Caller caller, String tokenId) {
    return TokenVisibility.visible(db, vault, caller, tokenId, clock.instant());
  }

  /** Applies revocations made by other nodes since the last call. */
  public void catchUp() {
    revocations.catchUp(db);
  }

  /** Forgets what this node holds of a secret (or of every secret), which another node changed. */
  public void forgetSecret(Optional<String> secretId) {
    secretId.ifPresentOrElse(secrets::invalidate, secrets::invalidateAll);
  }

  /**
   * Signs a new token and records it in one unit of the group commit: {@code check} runs first (a
   * derivation takes the child's uses and amount from its parent there), then the grant's record is
   * appended to the audit trail and the token stored under that record's offset.
   */
  IssuedToken mint(Grant draft, AuditEntry entry, Decision d, Consumer<Handle> check) {
    String jwt = TokenSigner.sign(keys, draft);
    AuditLog.Prepared record = audit.prepare(entry);
    TokenStore.NewRow row = TokenStore.NewRow.of(draft);
    long offset =
        writes.submit(
            h -> {
              check.accept(h);
              requireStillCurrent(h, d);
              long o = audit.append(h, record);
              TokenStore.insert(h, row, o);
              return o;
            });
    uses.granted(GrantMeters.operationOf(entry.type()));
    return new IssuedToken(draft.withAuditOffset(offset), jwt, AuditLog.ref(offset), d);
  }

  /**
   * A token decided under an engine's generated policy set is minted only under that set's current
   * version: an unbinding writes a new version and then revokes the live grants it takes away, so a
   * token decided under the old version and minted after that sweep would otherwise outlive the
   * binding (design 0031). Other sets cost no read.
   */
  private static void requireStillCurrent(Handle h, Decision d) {
    if (io.secretsapi.policy.PolicyService.isGenerated(d.ref().id())
        && !io.secretsapi.policy.PolicyService.isCurrent(h, d.ref())) {
      throw new io.secretsapi.ConflictException(
          "policy",
          "changed",
          "policy "
              + d.ref().id()
              + " changed while the token was being issued (a binding changed); ask again");
    }
  }

  Grant lockGrant(Handle h, String id, Instant now) {
    if (db.dialect() == Dialect.POSTGRES) {
      Jdbc.first(h, "SELECT id FROM tokens WHERE id = ? FOR UPDATE", rs -> rs.getString(1), id)
          .orElseThrow();
    }
    return TokenStore.find(h, id, now).orElseThrow();
  }

  Secret activeSecret(String secretId) {
    // loaded under the cache's lock for the id: an invalidation meanwhile waits, then drops it
    Secret s = secrets.get(secretId, id -> vault.find(id).orElse(null));
    if (s == null) {
      throw new SecretNotFoundException(secretId.length() > 40 ? "(malformed id)" : secretId);
    }
    if (!s.status().equals("active")) {
      throw new SecretSealedException("secret " + secretId + " is sealed");
    }
    return s;
  }

  static Duration ttl(String text) {
    Duration ttl = Durations.parse("ttl", text);
    if (ttl.toSeconds() < 1) {
      throw new ValidationException("ttl", "positive", "ttl must be at least 1s");
    }
    return ttl;
  }

  Map<String, Object> attestation(String jwt) {
    return jwt == null ? Map.of() : attestations.verify(jwt);
  }

  static AuditEntry.PolicyRef ref(PolicyRef r) {
    return new AuditEntry.PolicyRef(r.id(), r.version(), r.rule());
  }

  /** The JSON shape of a policy reference: id, version, rule. */
  public static Map<String, Object> policyMap(PolicyRef r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("version", r.version());
    m.put("rule", r.rule());
    return m;
  }
}
