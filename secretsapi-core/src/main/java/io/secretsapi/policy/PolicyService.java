package io.secretsapi.policy;

import static java.util.Objects.requireNonNull;

import io.secretsapi.Inputs;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.access.PermissionDeniedException;
import io.secretsapi.access.Scope;
import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.storage.ChangeFeed;
import io.secretsapi.storage.Database;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;
import org.jdbi.v3.core.Handle;

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
  private final BiPredicate<Caller, String> ownsSecret;
  private final PolicyEngine engine = new PolicyEngine();
  private volatile String loaded = "";

  /**
   * @param ownsSecret whether a caller's account owns a secret id; false for a secret that does not
   *     exist
   */
  public PolicyService(
      Database db, Clock clock, AuditLog audit, BiPredicate<Caller, String> ownsSecret) {
    this.db = requireNonNull(db, "db");
    this.clock = requireNonNull(clock, "clock");
    this.audit = requireNonNull(audit, "audit");
    this.ownsSecret = requireNonNull(ownsSecret, "ownsSecret");
    refresh();
  }

  /** The gate, always evaluating the latest loaded versions. */
  public PolicyEngine engine() {
    return engine;
  }

  /**
   * Stores {@code document} as the next version of policy set {@code id} and applies it.
   *
   * <p>A writer without {@code admin} writes only for its own account's secrets: each of its rules
   * must name them by {@code resources.secret_ids}, every one owned by the writer's account, and it
   * may write a new version only of a set whose current version its account wrote. Otherwise a
   * {@code policies:write} key of one account could allow itself, or deny everyone, another
   * account's secrets.
   *
   * @return the stored version
   */
  public PolicyVersion put(Caller caller, String id, String document) {
    String pid = Inputs.name("id", id, 64);
    PolicyDocument parsed = PolicyParser.parse(pid, document);
    boolean admin = caller.scopes().contains(Scope.ADMIN);
    if (!admin) {
      db.read(
          h -> {
            requireOwnSet(h, caller, pid);
            return null;
          });
      requireOwnResources(caller, parsed);
    }
    PolicyVersion stored =
        db.inTransaction(
            h -> {
              if (!admin) {
                requireOwnSet(h, caller, pid); // again: another writer may have come between
              }
              return write(h, pid, document, caller.principal());
            });
    refresh();
    return stored;
  }

  /**
   * Writes the next version of a generated policy set on the caller's transaction {@code h}, so
   * that it commits or rolls back with what it was generated from (an engine's bindings, design
   * 0031). The document is checked as {@link #put} checks it; no ownership rule applies: the
   * calling service has checked its inputs. Call {@link #refresh} after the commit.
   */
  public PolicyVersion putIn(Handle h, String id, String document, String writer) {
    String pid = Inputs.name("id", id, 64);
    PolicyParser.parse(pid, document);
    return write(h, pid, document, writer);
  }

  private PolicyVersion write(Handle h, String pid, String document, String writer) {
    int next =
        PolicyStore.currentVersion(h, pid, db.dialect() == io.secretsapi.storage.Dialect.POSTGRES)
            .map(v -> v + 1)
            .orElse(1);
    PolicyStore.insertVersion(h, pid, next, document, writer, clock.instant());
    ChangeFeed.announce(h, db.dialect(), ChangeFeed.Topic.POLICIES, pid);
    audit.append(
        h,
        AuditEntry.of("policy.change", writer, "done")
            .policy(new AuditEntry.PolicyRef(pid, next, "*"))
            .reason("policy " + pid + " version " + next + " written")
            .build());
    return PolicyStore.version(h, pid, next).orElseThrow();
  }

  /**
   * Whether {@code ref}'s version is still the current version of its set, read on {@code h}: a
   * token decided under a generated set (an engine's, whose changes revoke what they take away) is
   * minted only if no new version was written in the meantime (design 0031).
   */
  public static boolean isCurrent(Handle h, PolicyRef ref) {
    return PolicyStore.currentVersion(h, ref.id(), false)
        .map(v -> v == ref.version())
        .orElse(false);
  }

  /** Whether a set is generated from an engine's bindings ({@code engine-<id>}). */
  public static boolean isGenerated(String policyId) {
    return policyId.startsWith(GENERATED_PREFIX);
  }

  /** The prefix of the ids of the sets generated from an engine's bindings. */
  public static final String GENERATED_PREFIX = "engine-";

  private void requireOwnResources(Caller caller, PolicyDocument doc) {
    for (int i = 0; i < doc.rules().size(); i++) {
      List<String> ids = doc.rules().get(i).resources().secretIds();
      String field = "rules[" + i + "].resources.secret_ids";
      if (ids.isEmpty()) {
        throw new ValidationException(
            field,
            "owned",
            field
                + " is required without the scope admin: a rule may only name secrets of the"
                + " writer's account, by id");
      }
      for (int j = 0; j < ids.size(); j++) {
        if (!ownsSecret.test(caller, ids.get(j))) {
          throw new ValidationException(
              field + "[" + j + "]",
              "owned",
              field + "[" + j + "] names no secret of the writer's account");
        }
      }
    }
  }

  private static void requireOwnSet(org.jdbi.v3.core.Handle h, Caller caller, String pid) {
    Optional<PolicyVersion> current =
        PolicyStore.currentVersion(h, pid, false).flatMap(v -> PolicyStore.version(h, pid, v));
    if (current.isPresent() && !current.get().createdBy().equals(caller.principal())) {
      throw new PermissionDeniedException(
          "policy set "
              + pid
              + " was last written by another account; only it or a key with admin may write it");
    }
  }

  /** Every policy set at its current version, by id. */
  public List<PolicyVersion> list() {
    return db.read(PolicyStore::allCurrent);
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
