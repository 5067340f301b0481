package io.secretsapi.token;

import static java.util.Objects.requireNonNull;

import io.secretsapi.Inputs;
import io.secretsapi.ValidationException;
import io.secretsapi.access.AccessService;
import io.secretsapi.access.Caller;
import io.secretsapi.access.PermissionDeniedException;
import io.secretsapi.access.Scope;
import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.secret.Vault;
import io.secretsapi.storage.ChangeFeed;
import io.secretsapi.storage.Database;
import io.secretsapi.storage.Dialect;
import io.secretsapi.storage.GroupCommit;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Revocation of grants: a token and its subtree, everything issued for a secret, to a principal, or
 * with an API key (and the key itself). Each revocation is a row with a sequence number, written
 * with its audit record in one group-committed transaction, and applied to the in-memory {@link
 * RevocationIndex} before the answer returns. Sealing a secret revokes its tokens in the sealing
 * transaction. Thread-safe.
 */
final class RevocationService {
  private final Database db;
  private final GroupCommit writes;
  private final Vault vault;
  private final AccessService access;
  private final AuditLog audit;
  private final RevocationIndex revocations;
  private final Clock clock;

  RevocationService(
      Database db,
      GroupCommit writes,
      Vault vault,
      AccessService access,
      AuditLog audit,
      RevocationIndex revocations,
      Clock clock) {
    this.db = requireNonNull(db, "db");
    this.writes = requireNonNull(writes, "writes");
    this.vault = requireNonNull(vault, "vault");
    this.access = requireNonNull(access, "access");
    this.audit = requireNonNull(audit, "audit");
    this.revocations = requireNonNull(revocations, "revocations");
    this.clock = requireNonNull(clock, "clock");
    vault.onSeal(
        (h, secretId, at) -> {
          long seq =
              insertRevocation(
                  h, db.dialect(), "secret", secretId, true, at, "broker", "secret sealed");
          TokenStore.revokeWhere(h, "secret_id", secretId, at);
          revocations.apply(
              new RevocationIndex.Revocation(seq, "secret", secretId, true, at.toEpochMilli()));
        });
    access.onKeyRevoked(
        (h, keyId, at, actor) -> {
          long seq =
              insertRevocation(
                  h, db.dialect(), "api_key", keyId, true, at, actor, "api key revoked");
          TokenStore.revokeWhere(h, "api_key_id", keyId, at);
          revocations.apply(
              new RevocationIndex.Revocation(seq, "api_key", keyId, true, at.toEpochMilli()));
        });
  }

  /**
   * Revokes a token (and by default its subtree), every token of a secret, of a principal, or of an
   * API key (and the key). Holds before this returns; idempotent.
   */
  public Revocation revoke(Caller caller, RevokeRequest req, Optional<String> requestId) {
    return revoke(caller, req, requestId, h -> {});
  }

  /**
   * As {@link #revoke(Caller, RevokeRequest, Optional)}, with {@code within} run in the same
   * transaction, after the token rows are revoked and before the revocation's record: what it
   * writes commits with the revocation, or nothing does (an incident's containment commits its
   * block with its revocation).
   */
  Revocation revoke(
      Caller caller,
      RevokeRequest req,
      Optional<String> requestId,
      java.util.function.Consumer<Handle> within) {
    caller.require(Scope.TOKENS_REVOKE);
    int given =
        (req.tokenId() != null ? 1 : 0)
            + (req.secretId() != null ? 1 : 0)
            + (req.principal() != null ? 1 : 0)
            + (req.apiKeyId() != null ? 1 : 0);
    if (given != 1) {
      throw new ValidationException(
          "body", "one_target", "give exactly one of token_id, secret_id, principal, api_key_id");
    }
    if (req.cascade() != null && req.tokenId() == null) {
      throw new ValidationException("cascade", "token_only", "cascade applies to token_id only");
    }
    String reason = Inputs.text("reason", req.reason(), 256);
    String kind;
    String target;
    boolean cascade = true;
    if (req.tokenId() != null) {
      kind = "token";
      target = TokenVisibility.visible(db, vault, caller, req.tokenId(), clock.instant()).id();
      cascade = req.cascade() == null || req.cascade();
    } else if (req.secretId() != null) {
      kind = "secret";
      target = vault.get(caller, req.secretId()).id();
    } else if (req.principal() != null) {
      kind = "principal";
      target = Inputs.slug("principal", req.principal(), 64);
      if (!caller.has(Scope.ADMIN) && !target.equals(caller.principal())) {
        throw new PermissionDeniedException(
            "revoking another principal's grants needs the scope admin");
      }
    } else {
      kind = "api_key";
      target = access.getKey(caller, req.apiKeyId()).id();
    }
    boolean c = cascade;
    Instant now = clock.instant();
    long[] seqAndOffset = new long[2];
    int n =
        writes.submit(
            h -> {
              int count =
                  switch (kind) {
                    case "token" -> TokenStore.revokeTree(h, target, c, now);
                    case "secret" -> TokenStore.revokeWhere(h, "secret_id", target, now);
                    case "principal" -> TokenStore.revokeWhere(h, "subject", target, now);
                    default -> {
                      access.revokeKeyWithin(h, caller, target);
                      yield TokenStore.revokeWhere(h, "api_key_id", target, now);
                    }
                  };
              seqAndOffset[0] =
                  insertRevocation(
                      h, db.dialect(), kind, target, c, now, caller.principal(), reason);
              // after the token rows, before the record: the lock order of every grant's unit
              // (rows, then the trail), so that the two cannot deadlock
              within.accept(h);
              seqAndOffset[1] =
                  audit.append(
                      h,
                      AuditEntry.of("token.revoke", caller.principal(), "done")
                          .token(kind.equals("token") ? target : null)
                          .secret(kind.equals("secret") ? target : null)
                          .subject(kind.equals("principal") ? target : null)
                          .reason(
                              kind
                                  + " "
                                  + target
                                  + " revoked"
                                  + (kind.equals("token") && c ? " with its subtree" : "")
                                  + ": "
                                  + count
                                  + " active grants"
                                  + (reason.isEmpty() ? "" : "; " + reason))
                          .requestId(requestId.orElse(null))
                          .build());
              return count;
            });
    revocations.apply(
        new RevocationIndex.Revocation(seqAndOffset[0], kind, target, c, now.toEpochMilli()));
    if (kind.equals("api_key")) {
      access.forget(Optional.of(target)); // again: a request may have cached it before the commit
    }
    return new Revocation(kind, target, n, seqAndOffset[0], AuditLog.ref(seqAndOffset[1]));
  }

  /**
   * Writes one revocation row and returns its sequence number. On PostgreSQL the row also carries
   * the writing transaction's id (the column's default), by which {@link RevocationIndex#catchUp}
   * finds rows that commit out of sequence order; and the transaction announces it on the {@link
   * ChangeFeed}, which PostgreSQL delivers to every listening node when it commits, and not at all
   * when it rolls back.
   */
  static long insertRevocation(
      Handle h,
      Dialect dialect,
      String kind,
      String target,
      boolean cascade,
      Instant at,
      String actor,
      String reason) {
    long seq =
        h.createQuery(
                "INSERT INTO revocations (kind, target, cascade, revoked_at, actor, reason)"
                    + " VALUES (:k, :t, :c, :at, :actor, :r) RETURNING seq")
            .bind("k", kind)
            .bind("t", target)
            .bind("c", cascade ? 1 : 0)
            .bind("at", at.toEpochMilli())
            .bind("actor", actor)
            .bind("r", reason)
            .mapTo(Long.class)
            .one();
    ChangeFeed.announce(h, dialect, ChangeFeed.Topic.REVOCATIONS, Long.toString(seq));
    return seq;
  }
}
