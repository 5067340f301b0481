package io.secretsapi;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.secretsapi.access.AccessService;
import io.secretsapi.audit.AuditBroker;
import io.secretsapi.audit.AuditFeed;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.audit.Redactor;
import io.secretsapi.crypto.Envelope;
import io.secretsapi.crypto.KeyEncryptionKey;
import io.secretsapi.crypto.SigningKeys;
import io.secretsapi.events.Webhooks;
import io.secretsapi.policy.Attestations;
import io.secretsapi.policy.PolicyService;
import io.secretsapi.secret.CleartextSecrets;
import io.secretsapi.secret.Vault;
import io.secretsapi.secret.VaultKeys;
import io.secretsapi.storage.ChangeFeed;
import io.secretsapi.storage.ChangeFeed.Topic;
import io.secretsapi.storage.Database;
import io.secretsapi.storage.GroupCommit;
import io.secretsapi.storage.Leadership;
import io.secretsapi.storage.NotLeaderException;
import io.secretsapi.token.RevocationIndex;
import io.secretsapi.token.ScopeService;
import io.secretsapi.token.TokenService;
import io.secretsapi.token.TokenVerifier;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker without HTTP: every feature, wired once over one store and one KEK. The server and the
 * tests build it the same way. Closing it closes the store.
 */
public final class BrokerCore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerCore.class);
  private final Database db;
  private final Envelope envelope;
  private final AccessService access;
  private final Vault vault;
  private final CleartextSecrets cleartext;
  private final AuditLog audit;
  private final io.secretsapi.audit.AuditTrail trail;
  private final io.secretsapi.audit.AuditCheckpoints checkpoints;
  private final PolicyService policies;
  private final ScopeService scopes;
  private final SigningKeys tokenKeys;
  private final TokenVerifier verifier;
  private final TokenService tokens;
  private final GroupCommit writes;
  private final AuditBroker auditBroker;
  private final AuditFeed feed;
  private final ChangeFeed changes;
  private final Leadership leadership;
  private final SigningKeys auditKeys;
  private final RevocationIndex revocations;
  private final MeterRegistry meters;
  private volatile Optional<Long> missingKek = Optional.empty();
  private final Webhooks webhooks;
  private final io.secretsapi.rotation.RotationService rotations;
  private final io.secretsapi.exposure.ExposureService exposure;
  private long ticks;
  private final io.secretsapi.incident.Incidents incidents;
  private final io.secretsapi.topology.TopologyService topology;
  private final io.secretsapi.pkg.PackageService packages;
  private final io.secretsapi.pkg.EngineService engines;

  /**
   * Options of the core that configuration may set.
   *
   * @param leaderLease how long the leader's lease lasts unrenewed ({@link Leadership})
   * @param meters where the core reports its metrics (grants, refusals, the audit commit,
   *     revocation lag, webhook deliveries, open event streams); the server passes its Prometheus
   *     registry, and the default is a registry with no backend, which keeps nothing (design 0019)
   */
  public record Options(
      Attestations attestations,
      int maxDepth,
      int eventBuffer,
      boolean webhooksAllowInternal,
      java.time.Duration leaderLease,
      MeterRegistry meters) {
    public static final int DEFAULT_EVENT_BUFFER = 8192;

    public Options {
      requireNonNull(attestations, "attestations");
      requireNonNull(leaderLease, "leaderLease");
      requireNonNull(meters, "meters");
    }

    /** These options, reporting to a registry that keeps nothing. */
    public Options(
        Attestations attestations,
        int maxDepth,
        int eventBuffer,
        boolean webhooksAllowInternal,
        java.time.Duration leaderLease) {
      this(
          attestations,
          maxDepth,
          eventBuffer,
          webhooksAllowInternal,
          leaderLease,
          new CompositeMeterRegistry());
    }

    public static Options defaults() {
      return new Options(
          Attestations.none(),
          TokenService.DEFAULT_MAX_DEPTH,
          DEFAULT_EVENT_BUFFER,
          false,
          Leadership.DEFAULT_LEASE);
    }

    /** These options with another leader lease. */
    public Options withLeaderLease(java.time.Duration lease) {
      return new Options(attestations, maxDepth, eventBuffer, webhooksAllowInternal, lease, meters);
    }

    /** These options, reporting metrics to {@code registry}. */
    public Options withMeters(MeterRegistry registry) {
      return new Options(
          attestations, maxDepth, eventBuffer, webhooksAllowInternal, leaderLease, registry);
    }
  }

  public BrokerCore(Database db, KeyEncryptionKey kek, Clock clock, Options options) {
    this.db = requireNonNull(db, "db");
    this.envelope = new Envelope(kek);
    this.audit =
        new AuditLog(
            clock,
            db.dialect(),
            new Redactor(
                new VaultKeys(db, envelope, clock).loadOrCreate("audit-hmac"),
                this::isStoredValue,
                this::storedGeneration));
    this.access = new AccessService(db, clock, audit);
    this.vault = new Vault(db, envelope, clock, audit);
    this.cleartext = new CleartextSecrets(db, envelope, clock);
    this.trail = new io.secretsapi.audit.AuditTrail(db);
    this.policies =
        new PolicyService(
            db,
            clock,
            audit,
            (caller, id) -> vault.find(id).map(s -> caller.owns(s.accountId())).orElse(false));
    this.scopes = new ScopeService(db, vault, clock, audit);
    this.tokenKeys = new SigningKeys(db, envelope, clock, "token", ScopeService.MAX_TTL);
    this.auditKeys = new SigningKeys(db, envelope, clock, "audit", java.time.Duration.ofDays(3650));
    this.checkpoints = new io.secretsapi.audit.AuditCheckpoints(db, auditKeys, clock);
    this.meters = options.meters();
    this.revocations = new RevocationIndex(options.meters());
    this.verifier = new TokenVerifier(tokenKeys, revocations, clock);
    this.writes = db.writes();
    writes.bindTo(options.meters());
    this.auditBroker = new AuditBroker(audit, writes);
    this.feed = new AuditFeed(db, options.eventBuffer());
    Gauge.builder("secretsapi.event.streams.open", feed, AuditFeed::listeners)
        .description("Event streams (server-sent events on /access/events) open on this node")
        .register(options.meters());
    audit.onAppend(feed::nudge);
    this.webhooks =
        new Webhooks(
            db, vault.keys(), audit, clock, options.webhooksAllowInternal(), options.meters());
    this.tokens =
        new TokenService(
            new TokenService.Parts(
                db,
                writes,
                vault,
                scopes,
                policies.engine(),
                tokenKeys,
                verifier,
                revocations,
                audit,
                cleartext,
                access,
                options.attestations(),
                clock,
                options.maxDepth(),
                options.meters()));
    this.incidents =
        new io.secretsapi.incident.Incidents(
            new io.secretsapi.incident.Playbook.Parts(
                db, writes, vault, tokens, policies, audit, checkpoints, revocations, clock));
    this.exposure =
        new io.secretsapi.exposure.ExposureService(
            db, vault, audit, clock, io.secretsapi.exposure.ExposureSettings.defaults());
    this.topology = new io.secretsapi.topology.TopologyService(db, audit, clock, incidents);
    this.packages = new io.secretsapi.pkg.PackageService(db, clock, audit, vault, scopes);
    this.engines = new io.secretsapi.pkg.EngineService(db, clock, audit, vault, policies, tokens);
    packages.follow(engines);
    audit.serving(io.secretsapi.pkg.EngineService::serving);
    this.changes = new ChangeFeed(db);
    changes.on(Topic.INCIDENTS, k -> incidents.refresh());
    changes.on(Topic.APPROVALS, tokens.approvals()::changed);
    changes.on(Topic.REVOCATIONS, k -> tokens.catchUp());
    changes.on(Topic.API_KEYS, access::forget);
    changes.on(Topic.SCOPES, scopes::forget);
    changes.on(Topic.SECRETS, tokens::forgetSecret);
    changes.on(Topic.SECRETS, vault::learnFingerprints);
    changes.on(Topic.POLICIES, k -> policies.refresh());
    changes.on(
        Topic.SIGNING_KEYS,
        k -> {
          for (SigningKeys keys : List.of(tokenKeys, auditKeys)) {
            if (k.isEmpty() || k.get().equals(keys.purpose())) {
              keys.reload();
            }
          }
        });
    changes.on(Topic.KEK, k -> checkKek());
    checkKek();
    changes.start();
    this.leadership = new Leadership(db, options.leaderLease());
    leadership.start();
    this.rotations =
        new io.secretsapi.rotation.RotationService(
            db, vault, cleartext, audit, leadership, clock, options.webhooksAllowInternal());
    respondToExposure();
  }

  /**
   * Wires what crossings and incidents ask of the rotation engine: a crossing whose action is
   * {@code rotate} queues a rotation in its own transaction, one whose action is {@code incident}
   * opens an incident; an incident's step 6 queues a rotation without grace for a secret whose
   * value the broker cannot make.
   */
  private void respondToExposure() {
    var engine = rotations;
    exposure.actions(
        new io.secretsapi.exposure.Respond(
            audit,
            (h, secretId, reason, key) ->
                engine
                    .queueAsBroker(
                        h, secretId, io.secretsapi.rotation.Trigger.EXPOSURE, reason, key)
                    .map(io.secretsapi.rotation.RotationJob::id),
            (secretId, reason) -> incidents.openAsBroker("exposure", secretId, reason).id()));
    incidents.useReplacement(
        new io.secretsapi.incident.EngineReplacement(
            new io.secretsapi.incident.GeneratedReplacement(vault),
            (secret, incidentId) -> {
              var j =
                  engine.queueAsBroker(
                      secret.id(),
                      io.secretsapi.rotation.Trigger.INCIDENT,
                      "incident " + incidentId + " replaces the contained value",
                      Optional.of("incident:" + incidentId));
              return "rotation " + j.id() + " queued (" + j.rotator() + ")";
            }));
  }

  /**
   * The id of a key-encryption key the store uses and this node lacks: another node rotated the
   * KEK, and this one cannot open what is wrapped by the new key until it is given the new key file
   * and restarted. Readiness fails meanwhile, so a load balancer sends its traffic elsewhere.
   */
  public Optional<Long> missingKek() {
    return missingKek;
  }

  /**
   * Kinds of revocation this version cannot enforce, read from rows a newer node wrote; while any
   * is present the node reports itself not ready.
   */
  public Set<String> unknownRevocationKinds() {
    return revocations.unknownKinds();
  }

  /**
   * Checks that this node's KEK opens everything in the store (on announcement, every 10 s). When
   * it does not, and the KEK came from a key file, reads the file again: once the new key file is
   * in place (a shared volume, or copied by the operator), the node takes it up without a restart,
   * provided it opens everything.
   */
  public synchronized void checkKek() {
    Optional<Long> missing = vault.kekIdNotIn(envelope.kek().keyIds());
    if (missing.isPresent() && adoptKeyFile()) {
      missing = vault.kekIdNotIn(envelope.kek().keyIds());
    }
    if (missing.isPresent() && missingKek.isEmpty()) {
      LOG.error(
          "the store holds data keys wrapped by key-encryption key {}, which this node does not"
              + " hold (was the KEK rotated on another node?); put the new key file in place of"
              + " {} (or restart with the new SECRETSAPI_KEK); it answers 503 on /health/ready"
              + " meanwhile",
          missing.get(),
          envelope.kek().file().map(Object::toString).orElse("the key file"));
    }
    missingKek = missing;
  }

  private boolean adoptKeyFile() {
    Optional<java.nio.file.Path> file = envelope.kek().file();
    if (file.isEmpty() || !java.nio.file.Files.exists(file.get())) {
      return false;
    }
    KeyEncryptionKey onDisk;
    try {
      onDisk = KeyEncryptionKey.load(file.get());
    } catch (RuntimeException e) {
      LOG.warn("cannot read the key file {} again: {}", file.get(), e.getMessage());
      return false;
    }
    if (onDisk.keyIds().equals(envelope.kek().keyIds())
        || vault.kekIdNotIn(onDisk.keyIds()).isPresent()) {
      return false; // unchanged, or it would not open everything either
    }
    envelope.useKek(onDisk);
    LOG.info("took up the key-encryption key file {} again: keys {}", file.get(), onDisk.keyIds());
    return true;
  }

  public Database db() {
    return db;
  }

  /**
   * Where the core reports its metrics ({@link Options#meters}): the grants and refusals counted
   * there are what the console's architecture map reads.
   */
  public MeterRegistry meters() {
    return meters;
  }

  public Envelope envelope() {
    return envelope;
  }

  public AccessService access() {
    return access;
  }

  public Vault vault() {
    return vault;
  }

  public CleartextSecrets cleartext() {
    return cleartext;
  }

  public AuditLog audit() {
    return audit;
  }

  /** What other nodes change, as they commit it (PostgreSQL; idle on SQLite). */
  public ChangeFeed changes() {
    return changes;
  }

  /**
   * Whether this node leads the jobs one node does for all, and the fence of their writes
   * (PostgreSQL; on SQLite the one node leads).
   */
  public Leadership leadership() {
    return leadership;
  }

  /** The committed records as a live feed (event stream, webhooks). */
  public AuditFeed feed() {
    return feed;
  }

  /** Webhook subscriptions and their delivery log. */
  public Webhooks webhooks() {
    return webhooks;
  }

  /** Records of requests and failed authentications, durable through the group commit. */
  public AuditBroker auditBroker() {
    return auditBroker;
  }

  public io.secretsapi.audit.AuditTrail trail() {
    return trail;
  }

  public io.secretsapi.audit.AuditCheckpoints checkpoints() {
    return checkpoints;
  }

  public PolicyService policies() {
    return policies;
  }

  public ScopeService scopes() {
    return scopes;
  }

  public SigningKeys tokenKeys() {
    return tokenKeys;
  }

  public TokenVerifier verifier() {
    return verifier;
  }

  public TokenService tokens() {
    return tokens;
  }

  /** Human approval of the grants a policy rule holds back (design 0030). */
  public io.secretsapi.approval.Approvals approvals() {
    return tokens.approvals();
  }

  /**
   * The rotation engine: the ROT- queue and per-secret rotation settings; its leader's loop runs
   * once {@link io.secretsapi.rotation.RotationService#start} is called (the server does).
   */
  public io.secretsapi.rotation.RotationService rotations() {
    return rotations;
  }

  /** Incidents: containment of compromised secrets (design 0026). */
  public io.secretsapi.incident.Incidents incidents() {
    return incidents;
  }

  /**
   * Exposure scores of secrets and live tokens, and what a threshold crossing does (design 0027).
   */
  public io.secretsapi.exposure.ExposureService exposure() {
    return exposure;
  }

  /** The resource topology and its trust zones (design 0028). */
  public io.secretsapi.topology.TopologyService topology() {
    return topology;
  }

  /** Service packages and their posture (design 0031). */
  public io.secretsapi.pkg.PackageService packages() {
    return packages;
  }

  /** Engines and their package bindings (design 0031). */
  public io.secretsapi.pkg.EngineService engines() {
    return engines;
  }

  /** Changes whenever what {@link #isStoredValue} recognises does. */
  private long storedGeneration() {
    return (vault == null ? 0 : vault.storedValuesGeneration())
        + (access == null ? 0 : access.keySecretsGeneration());
  }

  /** A stored secret's value, or an API key's secret part: what free text must never carry. */
  private boolean isStoredValue(String value) {
    return (vault != null && vault.isStoredValue(value))
        || (access != null && access.isKeySecret(value));
  }

  /**
   * The periodic work of a node: usage counts, what other nodes changed, and, on the leader, the
   * audit checkpoint.
   */
  public void tick() {
    access.flushUsage();
    cleartext.flushAccess();
    tokens.catchUp();
    policies.refresh();
    incidents.flush();
    incidents.refresh();
    if (leadership.leads()) {
      try {
        checkpoints.checkpointAsLeader(leadership); // one node signs them for all
      } catch (NotLeaderException e) {
        LOG.info("no checkpoint signed: {}", e.getMessage());
      }
    }
    try {
      tokens.approvals().sweep();
    } catch (RuntimeException e) {
      LOG.warn("approvals not swept: {}", e.getMessage());
    }
    try {
      exposure.evaluate();
    } catch (RuntimeException e) {
      LOG.warn("exposure not evaluated: {}", e.getMessage());
    }
    if (ticks % 10 == 0) {
      checkKek();
    }
    if (++ticks % 30 == 0) {
      vault.refreshFingerprints();
      access.refreshKeySecrets();
      tokenKeys.reload();
      auditKeys.reload();
    }
  }

  @Override
  public void close() {
    try {
      rotations.close();
      leadership.close();
      changes.close();
      feed.close();
      access.flushUsage();
      cleartext.flushAccess();
    } finally {
      db.close();
    }
  }
}
