package io.secretsapi.approval;

import static java.util.Objects.requireNonNull;

import io.secretsapi.ConflictException;
import io.secretsapi.Ids;
import io.secretsapi.Inputs;
import io.secretsapi.Page;
import io.secretsapi.PageCursor;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.policy.Decision;
import io.secretsapi.storage.ChangeFeed;
import io.secretsapi.storage.ChangeFeed.Topic;
import io.secretsapi.storage.Database;
import io.secretsapi.storage.GroupCommit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Human approval of sensitive grants (design 0030). A policy rule with {@code effect: approve}
 * holds an issue request back: it becomes a pending approval ({@code apr_}) that one of the rule's
 * approvers approves or denies with a reason. Nobody decides their own request. An undecided
 * request expires. An approved request issues exactly one token, to the same principal asking the
 * same thing again with the approval's id. Every step is written to the audit trail (and so
 * streamed as an event): {@code approval.request}, {@code approval.approve}, {@code approval.deny},
 * {@code approval.expired}, {@code approval.issue}. Every read comes from the store, so every node
 * sees the same approval. Thread-safe.
 */
public final class Approvals {
  private static final Logger LOG = LoggerFactory.getLogger(Approvals.class);

  /** The longest a long poll waits. */
  public static final Duration MAX_WAIT = Duration.ofSeconds(60);

  private final Database db;
  private final GroupCommit writes;
  private final AuditLog audit;
  private final Clock clock;

  /** The long polls waiting on pending approvals. */
  private final ApprovalWaits waits = new ApprovalWaits(this::find);

  public Approvals(Database db, GroupCommit writes, AuditLog audit, Clock clock) {
    this.db = requireNonNull(db, "db");
    this.writes = requireNonNull(writes, "writes");
    this.audit = requireNonNull(audit, "audit");
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * The most approvals one requesting principal may have pending at once: another ask is refused
   * ({@code 409}, rule {@code pending_limit}) until one is decided or expires, so that one account
   * cannot bury everyone's queue.
   */
  public static final int MAX_PENDING = 20;

  /**
   * What the issue path asks to have approved.
   *
   * @param scopeDigest the digest of the scope's definition as it stands ({@code
   *     SecretScope.digest})
   */
  public record Ask(
      String secretId,
      String scope,
      Duration ttl,
      List<String> operations,
      String environment,
      String subject,
      String scopeDigest) {}

  /**
   * Records a new pending approval for {@code ask}, which decision {@code d} held back, and its
   * {@code approval.request} record.
   */
  public Approval request(Caller caller, Ask ask, Decision d, Optional<String> requestId) {
    Decision.Approval demand = d.approval().orElseThrow();
    Instant now = clock.instant();
    Approval a =
        new Approval(
            Ids.random("apr_", 16),
            caller.serviceAccountId(),
            caller.principal(),
            ask.subject(),
            ask.secretId(),
            ask.scope(),
            ask.ttl().toSeconds(),
            ask.operations(),
            ask.environment(),
            d.ref(),
            demand.approvers(),
            "pending",
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Instant.ofEpochMilli(now.toEpochMilli()),
            Instant.ofEpochMilli(now.toEpochMilli() + demand.ttl().toMillis()),
            Optional.empty(),
            Optional.of(ask.scopeDigest()),
            Optional.empty());
    long refusedAt =
        writes.submit(
            h -> {
              if (ApprovalStore.pending(h, a.accountId(), a.requester(), now) >= MAX_PENDING) {
                return audit.append(
                    h,
                    AuditEntry.of("approval.request", caller.principal(), "deny")
                        .subject(ask.subject())
                        .secret(ask.secretId())
                        .scope(ask.scope())
                        .policy(
                            new AuditEntry.PolicyRef(
                                d.ref().id(), d.ref().version(), d.ref().rule()))
                        .environment(ask.environment())
                        .reason(
                            "approval not requested: "
                                + caller.principal()
                                + " has "
                                + MAX_PENDING
                                + " approvals pending already (pending_limit)")
                        .requestId(requestId.orElse(null))
                        .build());
              }
              ApprovalStore.insert(h, a);
              audit.append(
                  h,
                  AuditEntry.of("approval.request", caller.principal(), "done")
                      .subject(ask.subject())
                      .secret(ask.secretId())
                      .scope(ask.scope())
                      .policy(
                          new AuditEntry.PolicyRef(d.ref().id(), d.ref().version(), d.ref().rule()))
                      .environment(ask.environment())
                      .reason(
                          "approval "
                              + a.id()
                              + " requested; approvers: "
                              + String.join(", ", a.approvers()))
                      .requestId(requestId.orElse(null))
                      .build());
              return -1L;
            });
    if (refusedAt >= 0) {
      throw new ConflictException(
          "approval_id",
          "pending_limit",
          caller.principal()
              + " has "
              + MAX_PENDING
              + " approvals pending already, the most one principal may have; collect or wait"
              + " for a decision or the expiry of one before asking for another (audit "
              + AuditLog.ref(refusedAt)
              + ")");
    }
    return a;
  }

  /**
   * The approval {@code approvalId} that the caller presents again with {@code ask}, if it may
   * issue: approved, for the same request by the same principal, and still bound to what its
   * approver saw. Pending answers {@link ApprovalPendingException}; denied, expired or already
   * issued is refused naming {@code approval_id}. So is, recorded as a refused {@code
   * approval.issue}: a scope whose definition is not the one the approval was asked under (rule
   * {@code scope_changed}), and a current decision {@code current} (which must be {@code approve})
   * whose approvers no longer name the account that approved (rule {@code approver_changed}).
   */
  public Approval approvedFor(
      Caller caller, String approvalId, Ask ask, Decision current, Optional<String> requestId) {
    Approval a = own(caller, approvalId);
    same("secret_id", a.secretId(), ask.secretId());
    same("scope", a.scope(), ask.scope());
    same("ttl", a.ttlSeconds(), ask.ttl().toSeconds());
    same("environment", a.environment(), ask.environment());
    same("requested_by", a.subject(), ask.subject());
    boolean live = a.state().equals("pending") || a.state().equals("approved");
    if (live && !a.scopeDigest().map(ask.scopeDigest()::equals).orElse(false)) {
      throw refusedIssue(
          caller,
          a,
          "scope_changed",
          "scope "
              + a.scope()
              + " of secret "
              + a.secretId()
              + " is not defined as it was when approval "
              + a.id()
              + " was asked for; ask again without approval_id",
          requestId);
    }
    switch (a.state()) {
      case "pending" -> throw new ApprovalPendingException(a);
      case "approved" -> {
        List<String> now =
            current.approval().map(Decision.Approval::approvers).orElse(List.of()).stream()
                .map(x -> x.toLowerCase(Locale.ROOT))
                .toList();
        String by = a.decidedBy().orElse("").toLowerCase(Locale.ROOT);
        Optional<String> byAccount =
            a.decidedByAccount().map(x -> "sa:" + x.toLowerCase(Locale.ROOT));
        if (!current.approvalRequired()
            || !(now.contains(by) || byAccount.map(now::contains).orElse(false))) {
          throw refusedIssue(
              caller,
              a,
              "approver_changed",
              "approval "
                  + a.id()
                  + " was given by "
                  + a.decidedBy().orElse("")
                  + ", whom the rule that decides this request now ("
                  + current.ref().rule()
                  + " of policy "
                  + current.ref().id()
                  + " v"
                  + current.ref().version()
                  + ") does not name as an approver; ask again without approval_id",
              requestId);
        }
        return a;
      }
      default ->
          throw new ApprovalRefusedException(
              "approval_id",
              a.state(),
              "approval " + a.id() + " is " + a.state() + ": it issues no token",
              null);
    }
  }

  /**
   * Refuses approval {@code approvalId} presented with a request that the policy no longer holds
   * for approval (its decision now is a plain {@code allow}): rule {@code policy_changed},
   * recorded. The approval was given under a rule that no longer decides; it issues nothing, and
   * the requester asks again without it (design 0030).
   */
  public ApprovalRefusedException notHeld(
      Caller caller, String approvalId, Decision current, Optional<String> requestId) {
    Approval a = own(caller, approvalId);
    return refusedIssue(
        caller,
        a,
        "policy_changed",
        "the policy no longer holds this request for approval (rule "
            + current.ref().rule()
            + " of policy "
            + current.ref().id()
            + " v"
            + current.ref().version()
            + " decides it now); approval "
            + a.id()
            + " issues nothing: ask again without approval_id",
        requestId);
  }

  /** Approval {@code approvalId} of the calling principal, as it stands now. */
  private Approval own(Caller caller, String approvalId) {
    String id = Inputs.required("approval_id", approvalId, 64);
    expireIfDue(id);
    Approval a =
        db.read(h -> ApprovalStore.find(h, id))
            .orElseThrow(
                () ->
                    new ValidationException(
                        "approval_id", "unknown", "approval_id names no approval"))
            .at(clock.instant());
    if (!a.accountId().equals(caller.serviceAccountId())
        || !a.requester().equals(caller.principal())) {
      throw new ValidationException(
          "approval_id", "unknown", "approval_id names no approval of this principal");
    }
    return a;
  }

  /** A refused collection of approval {@code a}, recorded as a denied {@code approval.issue}. */
  private ApprovalRefusedException refusedIssue(
      Caller caller, Approval a, String rule, String why, Optional<String> requestId) {
    long offset =
        writes.submit(
            h ->
                audit.append(
                    h,
                    AuditEntry.of("approval.issue", caller.principal(), "deny")
                        .subject(a.subject())
                        .secret(a.secretId())
                        .scope(a.scope())
                        .environment(a.environment())
                        .reason("approval " + a.id() + " refused (" + rule + "): " + why)
                        .requestId(requestId.orElse(null))
                        .build()));
    return new ApprovalRefusedException("approval_id", rule, why, AuditLog.ref(offset));
  }

  private static void same(String field, Object given, Object asked) {
    if (!given.equals(asked)) {
      throw new ValidationException(
          field,
          "approved_request",
          field + " must be the same as in the request the approval was given for");
    }
  }

  /**
   * Spends approval {@code id} on token {@code tokenId}, inside the transaction that mints it:
   * exactly one token per approval, whichever node asks.
   */
  public void spend(Handle h, Approval a, String tokenId, Optional<String> requestId) {
    Instant now = clock.instant();
    if (!ApprovalStore.issue(h, a.id(), tokenId, now)) {
      throw new ApprovalRefusedException(
          "approval_id",
          "issued",
          "approval " + a.id() + " is no longer approved: it issues one token only",
          null);
    }
    audit.append(
        h,
        AuditEntry.of("approval.issue", a.requester(), "allow")
            .subject(a.subject())
            .secret(a.secretId())
            .token(tokenId)
            .scope(a.scope())
            .environment(a.environment())
            .reason("approval " + a.id() + " issued token " + tokenId)
            .requestId(requestId.orElse(null))
            .build());
  }

  /** Approves a pending approval, with a reason. */
  public Approval approve(Caller caller, String id, String reason, Optional<String> requestId) {
    return decide(caller, id, "approved", reason, requestId);
  }

  /** Denies a pending approval, with a reason. */
  public Approval deny(Caller caller, String id, String reason, Optional<String> requestId) {
    return decide(caller, id, "denied", reason, requestId);
  }

  private Approval decide(
      Caller caller, String id, String state, String reason, Optional<String> requestId) {
    requireNonNull(caller, "caller");
    caller.require(Scope.POLICIES_WRITE);
    String why =
        audit.redactor().scrub(Inputs.text("reason", Inputs.required("reason", reason, 512), 512));
    if (why.isEmpty()) {
      throw new ValidationException(
          "reason", "required", "reason is required and must not be empty");
    }
    String type = state.equals("approved") ? "approval.approve" : "approval.deny";
    String given = id == null ? "" : id;
    expireIfDue(given);
    Approval a = visible(caller, given);
    if (isOwn(caller, a)) {
      throw refused(
          caller, a, type, "self_approval", "nobody decides their own request", requestId);
    }
    if (!isApprover(caller, a)) {
      throw refused(
          caller,
          a,
          type,
          "approver",
          "only an approver of the rule (" + String.join(", ", a.approvers()) + ") decides",
          requestId);
    }
    if (!a.state().equals("pending")) {
      throw new ConflictException("id", "approval " + a.id() + " is " + a.state() + " already");
    }
    Instant now = Instant.ofEpochMilli(clock.instant().toEpochMilli());
    Instant expires = now.plusMillis(a.expiresAt().toEpochMilli() - a.createdAt().toEpochMilli());
    boolean done =
        writes.submit(
            h -> {
              if (!ApprovalStore.decide(
                  h,
                  a.id(),
                  state,
                  caller.principal(),
                  caller.serviceAccountId(),
                  why,
                  now,
                  expires)) {
                return false;
              }
              ChangeFeed.announce(h, db.dialect(), Topic.APPROVALS, a.id());
              audit.append(
                  h,
                  AuditEntry.of(type, caller.principal(), "done")
                      .subject(a.subject())
                      .secret(a.secretId())
                      .scope(a.scope())
                      .environment(a.environment())
                      .reason("approval " + a.id() + " " + state + ": " + why)
                      .requestId(requestId.orElse(null))
                      .build());
              return true;
            });
    changed(Optional.of(a.id()));
    if (!done) {
      Approval now2 = find(a.id());
      throw new ConflictException("id", "approval " + a.id() + " is " + now2.state() + " already");
    }
    return find(a.id());
  }

  private ApprovalRefusedException refused(
      Caller caller, Approval a, String type, String rule, String why, Optional<String> requestId) {
    long offset =
        writes.submit(
            h ->
                audit.append(
                    h,
                    AuditEntry.of(type, caller.principal(), "deny")
                        .subject(a.subject())
                        .secret(a.secretId())
                        .scope(a.scope())
                        .environment(a.environment())
                        .reason(
                            "approval " + a.id() + " refused to " + caller.principal() + ": " + why)
                        .requestId(requestId.orElse(null))
                        .build()));
    return new ApprovalRefusedException("id", rule, why, AuditLog.ref(offset));
  }

  /**
   * Whether {@code a} is a request of the caller's own account, which it may never decide (the
   * console hides the forms by this, the decision refuses by it).
   */
  public static boolean isOwn(Caller caller, Approval a) {
    return a.requester().equals(caller.principal())
        || a.accountId().equals(caller.serviceAccountId());
  }

  /**
   * Whether the rule that held {@code a} names the caller's account, by name or {@code sa:<id>}.
   */
  public static boolean isApprover(Caller caller, Approval a) {
    return a.approvers().contains(caller.principal().toLowerCase(Locale.ROOT))
        || a.approvers().contains("sa:" + caller.serviceAccountId().toLowerCase(Locale.ROOT));
  }

  /**
   * Whether the caller may see approval {@code a}: its requester's account, the approvers the rule
   * names, and {@code admin}. Another account does not learn that it exists.
   */
  private static boolean sees(Caller caller, Approval a) {
    return caller.owns(a.accountId()) || isApprover(caller, a);
  }

  /** One approval as it stands now. */
  public Approval get(Caller caller, String id) {
    return visible(caller, id == null ? "" : id);
  }

  private Approval visible(Caller caller, String id) {
    Approval a =
        db.read(h -> ApprovalStore.find(h, id))
            .orElseThrow(() -> new ApprovalNotFoundException(id))
            .at(clock.instant());
    if (!sees(caller, a)) {
      throw new ApprovalNotFoundException(id);
    }
    return a;
  }

  private Approval find(String id) {
    return db.read(h -> ApprovalStore.find(h, id))
        .orElseThrow(() -> new ApprovalNotFoundException(id))
        .at(clock.instant());
  }

  /** The first page of the approvals the caller may see, pending first, then newest first. */
  public List<Approval> list(Caller caller, Optional<String> state, int limit) {
    return page(caller, state, limit, Optional.empty()).items();
  }

  /**
   * One page of the approvals the caller may see (its account's requests, those whose approvers
   * name its account by name or {@code sa:<id>}; {@code admin}: all), pending first, then newest
   * first; the visibility is part of the read, so no other account's approvals crowd the caller's
   * out. {@code cursor} is the {@code next_cursor} of the page before, under the same {@code
   * state}; which approvals count as pending for the order is fixed by the first page, so a listing
   * followed to its end shows each approval once.
   */
  public Page<Approval> page(
      Caller caller, Optional<String> state, int limit, Optional<String> cursor) {
    requireNonNull(caller, "caller");
    state.ifPresent(
        s -> {
          if (!Approval.STATES.contains(s)) {
            throw new ValidationException(
                "state", "enum", "state must be one of " + String.join(", ", Approval.STATES));
          }
        });
    if (limit < 1 || limit > 500) {
      throw new ValidationException("limit", "range", "limit must be between 1 and 500");
    }
    String filters = "state=" + state.orElse("");
    Instant now = clock.instant();
    Instant asOf = Instant.ofEpochMilli(now.toEpochMilli());
    Optional<ApprovalStore.After> after = Optional.empty();
    if (cursor.isPresent()) {
      PageCursor c = PageCursor.decode(cursor.get(), LISTING, filters, 4);
      asOf = Instant.ofEpochMilli(c.longKey(0));
      long rank = c.longKey(1);
      if (rank != 0 && rank != 1) {
        throw new ValidationException(
            "cursor",
            "format",
            "cursor is not a cursor of this API; pass back next_cursor unchanged");
      }
      after = Optional.of(new ApprovalStore.After((int) rank, c.longKey(2), c.key(3)));
    }
    boolean all = caller.has(Scope.ADMIN);
    Optional<String> account = all ? Optional.empty() : Optional.of(caller.serviceAccountId());
    List<String> names =
        List.of(
            caller.principal().toLowerCase(Locale.ROOT),
            "sa:" + caller.serviceAccountId().toLowerCase(Locale.ROOT));
    Instant first = asOf;
    Optional<ApprovalStore.After> from = after;
    List<Approval> rows =
        db.read(h -> ApprovalStore.page(h, account, names, state, now, first, from, limit + 1));
    List<Approval> items = new ArrayList<>();
    for (Approval a : rows.subList(0, Math.min(limit, rows.size()))) {
      items.add(a.at(now));
    }
    Optional<String> next = Optional.empty();
    if (rows.size() > limit) {
      Approval last = rows.get(limit - 1);
      int rank = last.state().equals("pending") && last.expiresAt().isAfter(first) ? 0 : 1;
      next =
          Optional.of(
              PageCursor.after(
                      LISTING,
                      filters,
                      first.toEpochMilli(),
                      rank,
                      last.createdAt().toEpochMilli(),
                      last.id())
                  .encode());
    }
    return new Page<>(items, next);
  }

  private static final String LISTING = "approvals";

  /**
   * Long poll: completes with the approval once its state is no longer {@code pending}, or when
   * {@code wait} is over, whichever is first. Nothing holds a thread and nothing reads the store
   * while it waits: a decision or an expiry announces the approval's id on the change feed (every
   * node's, design 0011), and only then is the row read again; the approval's own expiry and the
   * end of the wait are timers on one shared scheduler.
   */
  public CompletableFuture<Approval> await(Caller caller, String id, Duration wait) {
    if (wait.isNegative() || wait.compareTo(MAX_WAIT) > 0) {
      throw new ValidationException(
          "wait", "range", "wait must be between 0s and " + MAX_WAIT.toSeconds() + "s");
    }
    Approval first = get(caller, id);
    if (wait.isZero() || !first.state().equals("pending")) {
      return CompletableFuture.completedFuture(first);
    }
    return waits.await(first, Duration.between(clock.instant(), first.expiresAt()), wait);
  }

  /**
   * The change feed's handler: approval {@code id} changed (any approval, when empty), so its long
   * polls read it again and answer if it is no longer pending.
   */
  public void changed(Optional<String> id) {
    waits.changed(id);
  }

  /** The number of long polls waiting now. */
  public int waiting() {
    return waits.size();
  }

  /**
   * Marks every approval whose time is up {@code expired}, each with its {@code approval.expired}
   * record (once, whichever node sweeps first); the count marked.
   */
  public int sweep() {
    Instant now = clock.instant();
    List<String> due = db.read(h -> ApprovalStore.overdue(h, now));
    int n = 0;
    for (String id : due) {
      n += expire(id, now) ? 1 : 0;
    }
    return n;
  }

  private void expireIfDue(String id) {
    Instant now = clock.instant();
    Optional<Approval> a = db.read(h -> ApprovalStore.find(h, id));
    if (a.isPresent()
        && (a.get().state().equals("pending") || a.get().state().equals("approved"))
        && !now.isBefore(a.get().expiresAt())) {
      expire(id, now);
    }
  }

  private boolean expire(String id, Instant now) {
    try {
      boolean marked =
          writes.submit(
              h -> {
                Optional<Approval> a = ApprovalStore.find(h, id);
                if (a.isEmpty() || !ApprovalStore.expire(h, id, now)) {
                  return false;
                }
                ChangeFeed.announce(h, db.dialect(), Topic.APPROVALS, id);
                audit.append(
                    h,
                    AuditEntry.of("approval.expired", "broker", "done")
                        .subject(a.get().subject())
                        .secret(a.get().secretId())
                        .scope(a.get().scope())
                        .environment(a.get().environment())
                        .reason(
                            "approval "
                                + id
                                + (a.get().state().equals("approved")
                                    ? " expired before its token was asked for"
                                    : " expired undecided"))
                        .build());
                return true;
              });
      if (marked) {
        changed(Optional.of(id));
      }
      return marked;
    } catch (RuntimeException e) {
      LOG.warn("approval {} not marked expired: {}", id, e.getMessage());
      return false;
    }
  }
}
