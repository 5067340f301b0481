package io.secretsapi.incident;

import static java.util.Objects.requireNonNull;

import io.secretsapi.access.Caller;
import io.secretsapi.audit.AuditCheckpoints;
import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.policy.PolicyService;
import io.secretsapi.policy.PolicyVersion;
import io.secretsapi.secret.Secret;
import io.secretsapi.secret.Vault;
import io.secretsapi.storage.ChangeFeed;
import io.secretsapi.storage.Database;
import io.secretsapi.storage.GroupCommit;
import io.secretsapi.token.Grant;
import io.secretsapi.token.IssuedToken;
import io.secretsapi.token.Revocation;
import io.secretsapi.token.RevocationIndex;
import io.secretsapi.token.RevokeRequest;
import io.secretsapi.token.TokenService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * The seven steps of containment, run in order for one incident, each recorded with its time and
 * result in the incident's timeline and, in the same transaction, in the audit trail.
 */
public final class Playbook {
  /** How long a replacement grant lives at most, whatever the grant it replaces had. */
  static final Duration REPLACEMENT_TTL = Duration.ofMinutes(5);

  /** Everything the playbook stands on. */
  public record Parts(
      Database db,
      GroupCommit writes,
      Vault vault,
      TokenService tokens,
      PolicyService policies,
      AuditLog audit,
      AuditCheckpoints checkpoints,
      RevocationIndex revocations,
      Clock clock) {}

  /** What the first transaction committed. */
  record Opened(IncidentStore.Row row, Revocation revoked, long auditOffset) {}

  private final Parts p;
  private volatile Sessions sessions = Sessions.NONE;
  private volatile Replacement replacement;

  Playbook(Parts parts) {
    this.p = parts;
    this.replacement = new GeneratedReplacement(parts.vault());
  }

  void useSessions(Sessions s) {
    this.sessions = requireNonNull(s, "sessions");
  }

  void useReplacement(Replacement r) {
    this.replacement = requireNonNull(r, "replacement");
  }

  Vault vault() {
    return p.vault();
  }

  TokenService tokens() {
    return p.tokens();
  }

  Revocation revokeSecret(
      Caller caller, RevokeRequest req, Optional<String> requestId, Consumer<Handle> within) {
    return p.tokens().revoke(caller, req, requestId, within);
  }

  /** Runs the playbook on {@code secret}; answers the incident with its replacements' tokens. */
  Incident run(
      Caller caller,
      Secret secret,
      Optional<String> tokenId,
      String reason,
      Optional<String> requestId,
      Incidents incidents) {
    List<Grant> live = p.tokens().liveGrants(secret.id());
    Sessions streams = sessions;
    long cutBefore = streams.cutSoFar(secret.id());
    long t0 = System.nanoTime();
    Opened o = incidents.commitContainment(caller, secret, tokenId, reason, live, requestId);
    String id = o.row().id();
    Timer t = new Timer(t0);
    IncidentStore.Row row = o.row();
    // Step 1 has committed: from here on the incident exists, so no step may fail the request. A
    // step that fails is recorded as failed; a record the store does not take now is kept and
    // written by the node's next tick (Incidents#flush), and the answer shows it meanwhile.
    List<Incident.Step> steps = new ArrayList<>();
    steps.add(
        keep(
            caller,
            row,
            t.step(
                1,
                "done",
                o.revoked().revoked()
                    + " grants of "
                    + secret.id()
                    + " and every"
                    + " descendant revoked ("
                    + o.revoked().auditRef()
                    + ")",
                o.revoked().revoked()),
            incidents));
    steps.add(
        after(
            caller,
            row,
            t,
            2,
            incidents,
            () ->
                t.step(
                    2,
                    "done",
                    row.upstreams().size()
                        + " upstreams blocked ("
                        + String.join(", ", row.upstreams())
                        + "); no new grant of "
                        + secret.id()
                        + " and no use of version "
                        + row.throughVersion()
                        + " or before, on every node",
                    row.upstreams().size())));
    steps.add(
        after(
            caller,
            row,
            t,
            3,
            incidents,
            () -> {
              streams.terminate(secret.id());
              long cut = streams.cutSoFar(secret.id()) - cutBefore;
              return t.step(3, "done", cut + " sessions terminated on this node", cut);
            }));
    steps.add(after(caller, row, t, 4, incidents, () -> escalate(caller, row, t)));
    steps.add(after(caller, row, t, 5, incidents, () -> replay(o, t)));
    List<Incident.Replaced> replaced = new ArrayList<>();
    steps.add(
        after(caller, row, t, 6, incidents, () -> replace(caller, secret, row, live, replaced, t)));
    steps.add(
        after(
            caller,
            row,
            t,
            7,
            incidents,
            () ->
                t.step(
                    7,
                    replaced.isEmpty() && !live.isEmpty() ? "pending" : "tracking",
                    "0 / " + replaced.size() + " principals re-authenticated with a replacement",
                    0)));
    return incidents.view(row, replaced, steps);
  }

  /**
   * Runs one step after the commit: its failure is the step's result ({@code failed}, with why),
   * never the request's.
   */
  private Incident.Step after(
      Caller caller,
      IncidentStore.Row r,
      Timer t,
      int n,
      Incidents incidents,
      java.util.function.Supplier<Incident.Step> body) {
    t.next();
    Incident.Step s;
    try {
      s = body.get();
    } catch (RuntimeException e) {
      s = t.step(n, "failed", Incident.STEPS.get(n - 1) + " failed: " + e.getMessage(), 0);
    }
    return keep(caller, r, s, incidents);
  }

  /**
   * Records {@code s}; when the store does not take it now, hands it to {@code incidents} to write
   * at the next tick. Answers the step as recorded (with its audit record), or as kept.
   */
  private Incident.Step keep(
      Caller caller, IncidentStore.Row r, Incident.Step s, Incidents incidents) {
    try {
      return record(caller.principal(), r, s);
    } catch (RuntimeException e) {
      incidents.unrecorded(caller.principal(), r, s, e);
      return s;
    }
  }

  private Incident.Step escalate(Caller caller, IncidentStore.Row r, Timer t) {
    try {
      PolicyVersion v = p.policies().put(caller, policyId(r), escalation(r, true));
      return t.step(
          4,
          "done",
          v.id()
              + " -> v"
              + v.version()
              + ": issue, derive, delegate and resolve of "
              + r.secretId()
              + " denied",
          v.version());
    } catch (RuntimeException e) {
      return t.step(4, "failed", "policy escalation failed: " + e.getMessage(), 0);
    }
  }

  static String policyId(IncidentStore.Row r) {
    return "incident-" + r.id();
  }

  /**
   * The escalation's policy: a deny of the secret while open; a rule that matches nothing after.
   */
  static String escalation(IncidentStore.Row r, boolean deny) {
    return "id: "
        + policyId(r)
        + "\ndescription: incident "
        + r.id()
        + (deny ? " contains " : " closed; it no longer denies ")
        + r.secretId()
        + "\nrules:\n  - id: contain-"
        + r.secretId()
        + "\n    effect: deny\n    resources:\n      secret_ids: ["
        + r.secretId()
        + "]\n    operations: [issue, derive, delegate, resolve]\n"
        + (deny ? "" : "    condition: \"false\"\n");
  }

  private Incident.Step replay(Opened o, Timer t) {
    try {
      Optional<AuditCheckpoints.Checkpoint> cp = p.checkpoints().checkpoint();
      if (cp.isEmpty()) {
        return t.step(5, "failed", "no checkpoint could be signed", 0);
      }
      Optional<String> bad = AuditCheckpoints.verify(cp.get(), p.checkpoints().jwks());
      if (bad.isPresent()) {
        return t.step(5, "failed", "checkpoint: " + bad.get(), 0);
      }
      var verifier = new io.secretsapi.audit.AuditVerifier();
      long from = o.auditOffset();
      long to = cp.get().treeSize();
      p.db()
          .read(
              h ->
                  h
                      .createQuery(
                          "SELECT record FROM audit_records WHERE audit_offset >= :f"
                              + " AND audit_offset <= :t AND record IS NOT NULL"
                              + " ORDER BY audit_offset")
                      .bind("f", from)
                      .bind("t", to)
                      .mapTo(String.class)
                      .stream()
                      .allMatch(verifier::accept));
      var result = verifier.result();
      if (!result.ok()) {
        return t.step(5, "failed", "audit slice: " + result.reason(), result.records());
      }
      return t.step(
          5,
          "done",
          AuditLog.ref(to)
              + " signed checkpoint (tree size "
              + to
              + "); "
              + result.records()
              + " records of the incident verified, "
              + AuditLog.ref(from)
              + " to "
              + AuditLog.ref(to),
          result.records());
    } catch (RuntimeException e) {
      return t.step(5, "failed", "audit replay failed: " + e.getMessage(), 0);
    }
  }

  private Incident.Step replace(
      Caller caller,
      Secret secret,
      IncidentStore.Row r,
      List<Grant> live,
      List<Incident.Replaced> out,
      Timer t) {
    Replacement.Outcome o;
    try {
      o = replacement.replace(caller, secret, r.id());
    } catch (RuntimeException e) {
      return t.step(6, "failed", "replacement failed: " + e.getMessage(), 0);
    }
    if (o.version().isEmpty()) {
      return t.step(6, "pending", o.detail(), 0);
    }
    Map<List<String>, Grant> first = new LinkedHashMap<>();
    for (Grant g : live) {
      first.putIfAbsent(List.of(g.subject(), g.scope()), g); // shallowest first
    }
    for (Grant g : first.values()) {
      Duration ttl = narrower(g);
      IssuedToken it = p.tokens().issueReplacement(g, ttl, r.id(), caller.principal());
      p.writes()
          .submit(
              h -> {
                IncidentStore.setReplacement(h, r.id(), g.subject(), g.scope(), it.grant().id());
                return 0;
              });
      out.add(
          new Incident.Replaced(
              g.subject(), g.scope(), it.grant().id(), it.token(), ttl.toSeconds()));
    }
    return t.step(
        6,
        "done",
        o.detail()
            + "; "
            + out.size()
            + " replacement grants issued, ttl at most "
            + REPLACEMENT_TTL.toMinutes()
            + "m",
        out.size());
  }

  /** Half the replaced grant's lifetime, at most {@link #REPLACEMENT_TTL}, at least one second. */
  static Duration narrower(Grant g) {
    Duration life = Duration.between(g.issuedAt(), g.expiresAt());
    Duration half = life.dividedBy(2);
    Duration ttl = half.compareTo(REPLACEMENT_TTL) > 0 ? REPLACEMENT_TTL : half;
    return ttl.toSeconds() < 1 ? Duration.ofSeconds(1) : ttl;
  }

  /**
   * Writes one step and its audit record in one transaction; answers the step naming its record.
   */
  Incident.Step record(String principal, IncidentStore.Row r, Incident.Step s) {
    long offset =
        p.writes()
            .submit(
                h -> {
                  long at =
                      p.audit()
                          .append(
                              h,
                              AuditEntry.of("incident.step", principal, "done")
                                  .secret(r.secretId())
                                  .reason(
                                      "incident "
                                          + r.id()
                                          + " step "
                                          + s.step()
                                          + " "
                                          + s.name()
                                          + ": "
                                          + s.state()
                                          + "; "
                                          + s.detail())
                                  .build());
                  IncidentStore.step(h, r.id(), s.withAuditRef(AuditLog.ref(at)));
                  return at;
                });
    return s.withAuditRef(AuditLog.ref(offset));
  }

  /** Closes the incident: its row, step 7 as it stands, the record; then lifts the escalation. */
  void close(Caller caller, IncidentStore.Row r, String note, Optional<String> requestId) {
    List<IncidentStore.Principal> ps = p.db().read(h -> IncidentStore.principals(h, r.id()));
    long replaced = ps.stream().filter(x -> x.replacementId().isPresent()).count();
    long reauth = ps.stream().filter(x -> x.replacementId().isPresent() && x.uses() > 0).count();
    long since = Duration.between(r.openedAt(), p.clock().instant()).toMillis();
    Incident.Step step7 =
        new Incident.Step(
            7,
            Incident.STEPS.get(6),
            reauth == replaced && replaced > 0 ? "done" : "stopped",
            reauth + " / " + replaced + " principals re-authenticated when the incident closed",
            reauth,
            Math.max(0, since),
            0,
            Optional.empty());
    boolean closed =
        p.writes()
            .submit(
                h -> {
                  if (!IncidentStore.close(
                      h, r.id(), caller.principal(), p.clock().instant(), note)) {
                    return false;
                  }
                  IncidentStore.step(h, r.id(), step7);
                  ChangeFeed.announce(h, p.db().dialect(), ChangeFeed.Topic.INCIDENTS, r.id());
                  p.audit()
                      .append(
                          h,
                          AuditEntry.of("incident.close", caller.principal(), "done")
                              .secret(r.secretId())
                              .reason("incident " + r.id() + " closed: " + note)
                              .requestId(requestId.orElse(null))
                              .build());
                  return true;
                });
    if (!closed) {
      throw new io.secretsapi.ValidationException(
          "id", "open", "incident " + r.id() + " is already closed");
    }
    p.policies().put(caller, policyId(r), escalation(r, false));
  }

  /** Times the steps from the incident's opening. */
  private static final class Timer {
    private final long t0;
    private long start;

    Timer(long t0) {
      this.t0 = t0;
      this.start = t0;
    }

    void next() {
      start = System.nanoTime();
    }

    Incident.Step step(int n, String state, String detail, long count) {
      long now = System.nanoTime();
      return new Incident.Step(
          n,
          Incident.STEPS.get(n - 1),
          state,
          detail,
          count,
          (start - t0) / 1_000_000,
          (now - start) / 1_000_000,
          Optional.empty());
    }
  }
}
