package io.secretsapi.policy;

import static java.util.Objects.requireNonNull;

import io.secretsapi.Inputs;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.storage.ChangeFeed;
import io.secretsapi.storage.Database;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Versioned policy sets: write a new version, read current and past versions, diff two, and dry-run
 * a request. Every write reloads the gate, so a change applies to the very next request on this
 * node; other nodes reload as the {@link ChangeFeed} brings the change (PostgreSQL), and on their
 * next periodic {@link #refresh()} regardless. Thread-safe.
 */
public final class PolicyService {
  private final Database db;
  private final Clock clock;
  private final AuditLog audit;
  private final PolicyEngine engine = new PolicyEngine();
  private volatile String loaded = "";

  public PolicyService(Database db, Clock clock, AuditLog audit) {
    this.db = requireNonNull(db, "db");
    this.clock = requireNonNull(clock, "clock");
    this.audit = requireNonNull(audit, "audit");
    refresh();
  }

  /** The gate, always evaluating the latest loaded versions. */
  public PolicyEngine engine() {
    return engine;
  }

  /**
   * Stores {@code document} as the next version of policy set {@code id} and applies it.
   *
   * @return the stored version
   */
  public PolicyVersion put(Caller caller, String id, String document) {
    String pid = Inputs.name("id", id, 64);
    PolicyParser.parse(pid, document);
    Instant now = clock.instant();
    PolicyVersion stored =
        db.inTransaction(
            h -> {
              int next =
                  PolicyStore.currentVersion(
                          h, pid, db.dialect() == io.secretsapi.storage.Dialect.POSTGRES)
                      .map(v -> v + 1)
                      .orElse(1);
              PolicyStore.insertVersion(h, pid, next, document, caller.principal(), now);
              ChangeFeed.announce(h, db.dialect(), ChangeFeed.Topic.POLICIES, pid);
              audit.append(
                  h,
                  AuditEntry.of("policy.change", caller.principal(), "done")
                      .policy(new AuditEntry.PolicyRef(pid, next, "*"))
                      .reason("policy " + pid + " version " + next + " written")
                      .build());
              return PolicyStore.version(h, pid, next).orElseThrow();
            });
    refresh();
    return stored;
  }

  /** The current version of a policy set. */
  public PolicyVersion current(String id) {
    return db.read(
            h ->
                PolicyStore.currentVersion(h, id, false)
                    .flatMap(v -> PolicyStore.version(h, id, v)))
        .orElseThrow(() -> new PolicyNotFoundException(id));
  }

  /** One version of a policy set. */
  public PolicyVersion version(String id, int version) {
    return db.read(h -> PolicyStore.version(h, id, version))
        .orElseThrow(() -> new PolicyNotFoundException(id + " version " + version));
  }

  /** Every version, newest first. */
  public List<PolicyVersion> versions(String id) {
    List<PolicyVersion> v = db.read(h -> PolicyStore.versions(h, id));
    if (v.isEmpty()) {
      throw new PolicyNotFoundException(id);
    }
    return v;
  }

  /** A line diff from one version to another: lines prefixed {@code -}, {@code +} or a space. */
  public List<String> diff(String id, int from, int to) {
    if (from < 1 || to < 1) {
      throw new ValidationException(from < 1 ? "from" : "to", "range", "versions start at 1");
    }
    return LineDiff.diff(version(id, from).document(), version(id, to).document());
  }

  /** Decides {@code request} against the current policies without issuing anything. */
  public Decision test(PolicyRequest request) {
    refresh();
    return engine.decide(request);
  }

  /** Reloads the gate when any policy set changed since the last load (on this or another node). */
  public void refresh() {
    String now = db.read(PolicyStore::fingerprint);
    if (now.equals(loaded)) {
      return;
    }
    synchronized (this) {
      List<PolicyEngine.VersionedPolicy> current = new ArrayList<>();
      for (PolicyVersion v : db.read(PolicyStore::allCurrent)) {
        current.add(
            new PolicyEngine.VersionedPolicy(
                PolicyParser.parse(v.id(), v.document()), v.version()));
      }
      engine.load(current);
      loaded = now;
    }
  }
}
