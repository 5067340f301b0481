package io.secretsapi.audit;

import static java.util.Objects.requireNonNull;

import io.secretsapi.storage.GroupCommit;

/**
 * Writes the records that no service writes in its own transaction: one per request served, and one
 * per failed authentication. Each is durable before this returns (it rides the group commit, so
 * many records share one transaction and one sync); when it cannot be, this throws and the request
 * fails closed with 503.
 */
public final class AuditBroker {
  private final AuditLog log;
  private final GroupCommit writes;

  public AuditBroker(AuditLog log, GroupCommit writes) {
    this.log = requireNonNull(log, "log");
    this.writes = requireNonNull(writes, "writes");
  }

  /** Appends {@code e} durably and answers its offset. */
  public long record(AuditEntry e) {
    AuditLog.Prepared p = log.prepare(e);
    return writes.submit(h -> log.append(h, p));
  }

  /**
   * Appends {@code e} in the next group commit without waiting for it: for a record of something
   * whose answer has already left (the end of a proxied stream). The future holds the offset.
   */
  public java.util.concurrent.CompletableFuture<Long> recordLater(AuditEntry e) {
    AuditLog.Prepared p = log.prepare(e);
    return writes.submitAsync(h -> log.append(h, p));
  }

  /** The keyed hash the trail uses for {@code value}: lets an auditor search for a known value. */
  public String hash(String value) {
    return log.redactor().hmac(value);
  }
}
