package io.secretsapi.incident;

import static java.util.Objects.requireNonNull;

import io.secretsapi.ConflictException;
import io.secretsapi.Ids;
import io.secretsapi.Inputs;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.secret.Secret;
import io.secretsapi.secret.SecretNotFoundException;
import io.secretsapi.storage.ChangeFeed;
import io.secretsapi.storage.Database;
import io.secretsapi.token.Grant;
import io.secretsapi.token.RevocationIndex;
import io.secretsapi.token.RevokeRequest;
import io.secretsapi.token.SecretBlocks;
import io.secretsapi.token.TokenNotFoundException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Incidents ({@code IN-}): containment of a compromised secret in one call, and its record.
 *
 * <p>Opening one runs the playbook (design 0026). Step 1 and the block of step 2 commit in one
 * transaction: the secret's grants revoked (all descendants with them) through the revocation
 * service, and the incident row, which is the block every node enforces in its token verifier and
 * at issuance. Both are announced on the {@link ChangeFeed} at that commit, so every node refuses
 * the secret's grants and new grants of it one round trip later; each node also reads the open
 * incidents every tick, and keeps its blocks when it cannot read (fails closed). The later steps
 * run after that commit, each recorded with its time and result in the timeline and the audit
 * trail; a step that fails is recorded {@code failed} and the others still run: containment is not
 * rolled back for a failure downstream of it. Thread-safe.
 */
public final class Incidents {
  private static final Logger LOG = LoggerFactory.getLogger(Incidents.class);
  private final Database db;
  private final AuditLog audit;
  private final RevocationIndex revocations;
  private final Clock clock;
  private final Playbook playbook;
  private final IncidentViews views;

  public Incidents(Playbook.Parts parts) {
    this.db = requireNonNull(parts.db(), "db");
    this.audit = requireNonNull(parts.audit(), "audit");
    this.revocations = requireNonNull(parts.revocations(), "revocations");
    this.clock = requireNonNull(parts.clock(), "clock");
    this.playbook = new Playbook(parts);
    this.views = new IncidentViews(db, clock);
    refresh();
  }

  /** Where step 3 finds this node's open proxied streams (the server's proxy). */
  public void useSessions(Sessions sessions) {
    playbook.useSessions(sessions);
  }

  /** How step 6 replaces the secret's value ({@link GeneratedReplacement} by default). */
  public void useReplacement(Replacement replacement) {
    playbook.useReplacement(replacement);
  }

  /**
   * Opens an incident on a secret (or a token's secret) and runs the playbook. The answer carries
   * the replacement grants' tokens, once.
   *
   * @throws ValidationException naming the field: no such secret or token, a sealed secret, no
   *     reason
   * @throws ConflictException when an open incident already contains the secret
   */
  public Incident open(Caller caller, NewIncident req, Optional<String> requestId) {
    requireNonNull(caller, "caller");
    requireNonNull(req, "req");
    caller.require(Scope.TOKENS_REVOKE);
    caller.require(Scope.POLICIES_WRITE);
    if ((req.secretId() == null) == (req.tokenId() == null)) {
      throw new ValidationException(
          "body", "one_target", "give exactly one of secret_id, token_id");
    }
    String reason = Inputs.text("reason", Inputs.required("reason", req.reason(), 512), 512);
    Optional<String> tokenId = Optional.empty();
    Secret secret;
    if (req.secretId() != null) {
      secret = secretOf(caller, "secret_id", req.secretId());
    } else {
      Grant g = tokenOf(caller, req.tokenId());
      tokenId = Optional.of(g.id());
      secret = secretOf(caller, "token_id", g.secretId());
    }
    String field = tokenId.isPresent() ? "token_id" : "secret_id";
    if (!secret.status().equals("active")) {
      throw new ValidationException(
          field, "active", "secret " + secret.id() + " is sealed: nothing is left to contain");
    }
    refuseIfOpen(db.read(h -> IncidentStore.openOf(h, secret.id())), secret.id());
    return playbook.run(caller, secret, tokenId, audit.redactor().scrub(reason), requestId, this);
  }

  /**
   * Opens an incident for the broker itself (an exposure threshold whose action is {@code
   * incident}), acting as {@code actor} in the secret's own account.
   *
   * @throws ConflictException when an open incident already contains the secret
   */
  public Incident openAsBroker(String actor, String secretId, String reason) {
    Secret s =
        playbook
            .vault()
            .find(secretId)
            .orElseThrow(() -> new SecretNotFoundException(String.valueOf(secretId)));
    Caller broker = new Caller(s.accountId(), actor, actor, Set.of(Scope.ADMIN));
    return open(broker, new NewIncident(secretId, null, reason), Optional.empty());
  }

  private static void refuseIfOpen(Optional<String> open, String secretId) {
    if (open.isPresent()) {
      throw new ConflictException(
          "secret_id", "secret " + secretId + " is already contained by incident " + open.get());
    }
  }

  /** A new incident id in the documents' form, {@code IN-9F3C-0042}. */
  static String newId() {
    String r = Ids.random("", 8).toUpperCase(java.util.Locale.ROOT);
    return "IN-" + r.substring(0, 4) + "-" + r.substring(4);
  }

  /**
   * The first transaction of the playbook: the incident row (the block), its principals, its audit
   * record and its announcement, inside the revocation of the secret's grants. The block holds on
   * this node before the commit (blocking early fails closed) and again after it.
   */
  Playbook.Opened commitContainment(
      Caller caller,
      Secret secret,
      Optional<String> tokenId,
      String reason,
      List<Grant> live,
      Optional<String> requestId) {
    String id = newId();
    SecretBlocks.Block block = new SecretBlocks.Block(id, secret.currentVersion());
    synchronized (this) {
      revocations.block(secret.id(), block);
    }
    Instant now = clock.instant();
    Set<String> upstreams = new LinkedHashSet<>();
    Map<List<String>, Long> principals = new LinkedHashMap<>();
    long derived = 0;
    for (Grant g : live) {
      upstreams.addAll(g.upstream().hosts());
      principals.merge(List.of(g.subject(), g.scope()), 1L, Long::sum);
      derived += g.depth() > 0 ? 1 : 0;
    }
    IncidentStore.Row row =
        new IncidentStore.Row(
            id,
            secret.id(),
            tokenId,
            secret.accountId(),
            reason,
            "open",
            secret.currentVersion(),
            List.copyOf(upstreams),
            derived,
            caller.principal(),
            now,
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    long[] openedAt = new long[1];
    try {
      var revoked =
          playbook.revokeSecret(
              caller,
              new RevokeRequest(null, null, secret.id(), null, null, "incident " + id),
              requestId,
              h -> {
                refuseIfOpen(IncidentStore.openOf(h, secret.id()), secret.id());
                IncidentStore.insert(h, row);
                principals.forEach(
                    (k, n) -> IncidentStore.insertPrincipal(h, id, k.get(0), k.get(1), n));
                ChangeFeed.announce(h, db.dialect(), ChangeFeed.Topic.INCIDENTS, id);
                openedAt[0] =
                    audit.append(
                        h,
                        AuditEntry.of("incident.open", caller.principal(), "done")
                            .secret(secret.id())
                            .token(tokenId.orElse(null))
                            .reason("incident " + id + " opened: " + reason)
                            .requestId(requestId.orElse(null))
                            .build());
              });
      synchronized (this) {
        revocations.block(secret.id(), block);
      }
      return new Playbook.Opened(row, revoked, openedAt[0]);
    } catch (RuntimeException e) {
      refresh(); // the early block goes with the rolled-back row
      throw e;
    }
  }

  /** Incidents the caller may see, newest first; {@code state} {@code open}, {@code closed}. */
  public List<Incident> list(Caller caller, Optional<String> state, int limit) {
    caller.require(Scope.AUDIT_READ);
    state.ifPresent(
        s -> {
          if (!s.equals("open") && !s.equals("closed")) {
            throw new ValidationException("state", "enum", "state must be open or closed");
          }
        });
    if (limit < 1 || limit > 500) {
      throw new ValidationException("limit", "range", "limit must be between 1 and 500");
    }
    Optional<String> account =
        caller.has(Scope.ADMIN) ? Optional.empty() : Optional.of(caller.serviceAccountId());
    List<IncidentStore.Row> rows = db.read(h -> IncidentStore.list(h, account, state, limit));
    List<Incident> out = new ArrayList<>();
    for (IncidentStore.Row r : rows) {
      out.add(views.of(r, List.of()));
    }
    return out;
  }

  /** One incident with its timeline, progress and affected services. */
  public Incident get(Caller caller, String id) {
    caller.require(Scope.AUDIT_READ);
    return views.of(visible(caller, id), List.of());
  }

  IncidentStore.Row visible(Caller caller, String id) {
    String given = id == null ? "" : id;
    IncidentStore.Row r =
        db.read(h -> IncidentStore.find(h, given))
            .orElseThrow(() -> new IncidentNotFoundException(given));
    if (!caller.has(Scope.ADMIN) && !caller.owns(r.accountId())) {
      throw new IncidentNotFoundException(given);
    }
    return r;
  }

  /**
   * The answer of {@link #open}: the incident as it stands, with its replacements' tokens. The
   * steps the playbook ran stand in for what the store cannot answer now.
   */
  Incident view(
      IncidentStore.Row r, List<Incident.Replaced> replacements, List<Incident.Step> ran) {
    try {
      return views.of(r, replacements);
    } catch (RuntimeException e) {
      LOG.warn("incident {} answered from the playbook's own steps: {}", r.id(), e.toString());
      return views.ofSteps(r, replacements, ran);
    }
  }

  /** How many ticks a step record is tried again before it is given up (and logged). */
  static final int FLUSH_ATTEMPTS = 60;

  /** A step record the store did not take: written again by {@link #flush}. */
  private record Unrecorded(
      String principal, IncidentStore.Row row, Incident.Step step, int attempts) {}

  private final java.util.Queue<Unrecorded> unrecorded =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  /** Keeps a step whose record failed, to write at the next {@link #flush}. */
  void unrecorded(String principal, IncidentStore.Row r, Incident.Step s, RuntimeException why) {
    LOG.warn(
        "incident {} step {} not recorded yet, written again at the next tick: {}",
        r.id(),
        s.step(),
        why.toString());
    unrecorded.add(new Unrecorded(principal, r, s, 0));
  }

  /**
   * Writes the step records that failed earlier (every tick); what fails again stays for the next.
   * Answers how many were written.
   */
  public int flush() {
    int written = 0;
    for (int n = unrecorded.size(); n > 0; n--) {
      Unrecorded u = unrecorded.poll();
      if (u == null) {
        break;
      }
      try {
        playbook.record(u.principal(), u.row(), u.step());
        written++;
      } catch (RuntimeException e) {
        if (u.attempts() + 1 >= FLUSH_ATTEMPTS) {
          LOG.error(
              "incident {} step {} given up after {} attempts; its effect stands, its line of the"
                  + " timeline is missing: {}",
              u.row().id(),
              u.step().step(),
              FLUSH_ATTEMPTS,
              e.toString());
        } else {
          unrecorded.add(new Unrecorded(u.principal(), u.row(), u.step(), u.attempts() + 1));
          LOG.warn(
              "incident {} step {} still not recorded: {}",
              u.row().id(),
              u.step().step(),
              e.toString());
        }
        break;
      }
    }
    return written;
  }

  /**
   * Closes an open incident with a note: the block lifts on every node, the policy escalation is
   * withdrawn by a new version, step 7 is recorded as it stands.
   *
   * @throws ValidationException ({@code id}, {@code open}) when the incident is already closed;
   *     ({@code note}, {@code required}) without a note
   */
  public Incident close(Caller caller, String id, String note, Optional<String> requestId) {
    caller.require(Scope.TOKENS_REVOKE);
    caller.require(Scope.POLICIES_WRITE);
    IncidentStore.Row r = visible(caller, id);
    String n = audit.redactor().scrub(Inputs.text("note", Inputs.required("note", note, 512), 512));
    if (!r.state().equals("open")) {
      throw new ValidationException("id", "open", "incident " + r.id() + " is already closed");
    }
    playbook.close(caller, r, n, requestId);
    refresh();
    return views.of(visible(caller, id), List.of());
  }

  /**
   * Reads the open incidents and enforces them as this node's blocks: at start, when the change
   * feed says an incident changed, and every tick. When the read fails the blocks stay as they
   * were.
   */
  public synchronized void refresh() {
    Map<String, SecretBlocks.Block> next = new HashMap<>();
    try {
      for (IncidentStore.Row r : db.read(IncidentStore::open)) {
        next.put(r.secretId(), new SecretBlocks.Block(r.id(), r.throughVersion()));
      }
    } catch (RuntimeException e) {
      LOG.warn("open incidents could not be read ({}); the blocks held stay", e.toString());
      return;
    }
    revocations.block(next);
  }

  /** The open incident that this node knows contains {@code secretId}, if any. */
  public Optional<String> containing(String secretId) {
    return revocations.blocks().of(secretId).map(SecretBlocks.Block::incidentId);
  }

  private Secret secretOf(Caller caller, String field, String id) {
    try {
      return playbook.vault().get(caller, Inputs.required(field, id, 64));
    } catch (SecretNotFoundException e) {
      throw new ValidationException(field, "exists", "secret " + shortId(id) + " does not exist");
    }
  }

  private Grant tokenOf(Caller caller, String id) {
    try {
      return playbook.tokens().get(caller, Inputs.required("token_id", id, 64));
    } catch (TokenNotFoundException e) {
      throw new ValidationException(
          "token_id", "exists", "token " + shortId(id) + " does not exist");
    }
  }

  private static String shortId(String id) {
    return id.length() > 40 ? "(malformed id)" : id;
  }
}
