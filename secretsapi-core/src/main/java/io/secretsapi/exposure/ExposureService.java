package io.secretsapi.exposure;

import static java.util.Objects.requireNonNull;

import io.secretsapi.Ids;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.secret.SecretNotFoundException;
import io.secretsapi.secret.Vault;
import io.secretsapi.storage.Database;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Exposure scores of secrets and live tokens, kept from the records the broker appends (design
 * 0027).
 *
 * <p>The audit log's append listener ({@link Counters}) counts calls, refusals and acquaintances in
 * memory; {@link #evaluate}, run by the node's periodic job, turns them into scores, records the
 * history, and acts on each threshold crossing once ({@link ExposureActions}). Reads ({@link
 * #ranked}, {@link #secret}) answer from memory and the exposure tables; nothing reads the trail
 * per request. Each node scores the calls it served. Thread-safe.
 */
public final class ExposureService {
  private static final Logger LOG = LoggerFactory.getLogger(ExposureService.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final double HISTORY_STEP = 0.05;
  private static final long INFO_TTL_MS = 60_000;
  private static final long THRESHOLDS_TTL_MS = 10_000;

  private final Database db;
  private final Vault vault;
  private final AuditLog audit;
  private final Clock clock;
  private final String node = Ids.random("node_", 8);
  private volatile ExposureSettings settings;
  private volatile Counters counters;
  private volatile ExposureActions actions;
  private final Map<String, Exposure> latest = new ConcurrentHashMap<>();
  private final Map<String, Double> recorded = new ConcurrentHashMap<>();
  private final Map<String, ExposureStore.SecretInfo> infos = new ConcurrentHashMap<>();
  private final Set<String> above = ConcurrentHashMap.newKeySet();
  private volatile List<Threshold> thresholds = List.of();
  private volatile long thresholdsAt = Long.MIN_VALUE;

  public ExposureService(
      Database db, Vault vault, AuditLog audit, Clock clock, ExposureSettings settings) {
    this.db = requireNonNull(db, "db");
    this.vault = requireNonNull(vault, "vault");
    this.audit = requireNonNull(audit, "audit");
    this.clock = requireNonNull(clock, "clock");
    this.actions = ExposureActions.recording(audit);
    configure(settings);
  }

  /**
   * Applies {@code s}: a new window starts counting afresh; disabled, the append listener does
   * nothing and {@link #evaluate} returns at once.
   */
  public synchronized void configure(ExposureSettings s) {
    this.settings = requireNonNull(s, "settings");
    this.counters = new Counters(clock, s.window().toMillis());
    latest.clear();
    audit.onRecord(s.enabled() ? counters : e -> {});
  }

  public ExposureSettings settings() {
    return settings;
  }

  /**
   * Replaces what a crossing does (by default {@link ExposureActions#recording}): the rotation
   * engine and incidents plug in here.
   */
  public void actions(ExposureActions a) {
    this.actions = requireNonNull(a, "actions");
  }

  /** The action a crossing runs now. */
  public ExposureActions actions() {
    return actions;
  }

  /**
   * Scores every secret this node follows, records the history, and acts on each crossing once.
   * Answers the crossings this call acted on. Runs on the node's job thread (every second).
   */
  public synchronized List<Crossing> evaluate() {
    ExposureSettings s = settings;
    if (!s.enabled()) {
      return List.of();
    }
    long now = clock.millis();
    long w = s.window().toMillis();
    refreshThresholds(now);
    List<Crossing> crossed = new ArrayList<>();
    List<Exposure> toRecord = new ArrayList<>();
    for (Map.Entry<String, Activity> e : counters.secrets.entrySet()) {
      String id = e.getKey();
      Optional<ExposureStore.SecretInfo> info = info(id, now);
      if (info.isEmpty()) {
        counters.secrets.remove(id);
        latest.remove(id);
        continue;
      }
      Activity a = e.getValue();
      Applied th = thresholdFor(id, info.get().resourceClass(), a.policy(), s);
      Exposure x = score("secret", id, id, a, info.get(), info.get().breadth(), th, now, true);
      latest.put(id, x);
      Double last = recorded.get(id);
      if (last == null || Math.abs(x.score() - last) >= HISTORY_STEP) {
        toRecord.add(x);
        recorded.put(id, x.score());
      }
      if (x.score() >= th.threshold()) {
        if (!above.contains(id)) {
          cross(x, th).ifPresent(crossed::add);
        }
      } else if (x.score() < th.threshold() - Threshold.REARM && above.contains(id)) {
        rearm(id, x.score(), now);
      }
    }
    recordHistory(toRecord);
    counters.evict(now, 2 * w);
    latest.keySet().retainAll(counters.secrets.keySet());
    return crossed;
  }

  private Optional<Crossing> cross(Exposure x, Applied th) {
    String source = th.source();
    try {
      Optional<Crossing> c =
          db.inTransaction(
              h -> {
                Optional<Long> n =
                    ExposureStore.markAbove(h, x.id(), x.score(), x.at().toEpochMilli());
                if (n.isEmpty()) {
                  return Optional.<Crossing>empty();
                }
                Crossing made =
                    new Crossing(
                        x.id(),
                        n.get(),
                        x.score(),
                        x.delta(),
                        x.deltaWindowSeconds(),
                        th.threshold(),
                        source,
                        th.action(),
                        x.factors(),
                        x.at());
                actions.thresholdCrossed(h, made);
                ExposureStore.addHistory(h, x, JSON.writeValueAsString(x.factors()), node);
                return Optional.of(made);
              });
      above.add(x.id()); // crossed here, or already above in the store (another node crossed)
      recorded.put(x.id(), x.score());
      c.ifPresent(this::afterCommit);
      return c;
    } catch (RuntimeException e) {
      LOG.warn(
          "exposure threshold crossing of {} not recorded, retried: {}", x.id(), e.getMessage());
      return Optional.empty();
    }
  }

  private void afterCommit(Crossing c) {
    try {
      actions.afterCommit(c);
    } catch (RuntimeException e) {
      LOG.warn(
          "exposure crossing {} recorded, its {} failed: {}", c.key(), c.action(), e.toString());
    }
  }

  private void rearm(String id, double score, long now) {
    try {
      db.inTransaction(
          h -> {
            ExposureStore.rearm(h, id, score, now);
            return null;
          });
      above.remove(id);
    } catch (RuntimeException e) {
      LOG.warn("exposure state of {} not re-armed, retried: {}", id, e.getMessage());
    }
  }

  private void recordHistory(List<Exposure> xs) {
    if (xs.isEmpty()) {
      return;
    }
    try {
      db.inTransaction(
          h -> {
            for (Exposure x : xs) {
              ExposureStore.addHistory(h, x, JSON.writeValueAsString(x.factors()), node);
            }
            return null;
          });
    } catch (RuntimeException e) {
      LOG.warn("exposure history not recorded: {}", e.getMessage());
    }
  }

  private Exposure score(
      String kind,
      String id,
      String secretId,
      Activity a,
      ExposureStore.SecretInfo info,
      Breadth.Value breadth,
      Applied th,
      long now,
      boolean sample) {
    Activity.Counts c = a.counts(now);
    double windowSeconds = settings.window().toMillis() / 1000.0;
    double ageDays = Math.max(0, now - info.valueSetAt()) / 86_400_000.0;
    List<Factor> factors = Model.factors(c, windowSeconds, breadth, ageDays);
    double score = Model.score(factors);
    Activity.Rise rise = sample ? a.sample(now, score) : new Activity.Rise(0, 0);
    return new Exposure(
        kind,
        id,
        secretId,
        score,
        Model.round(rise.delta()),
        rise.seconds(),
        th.threshold(),
        th.source(),
        factors,
        c.drift(),
        Instant.ofEpochMilli(now));
  }

  private Optional<ExposureStore.SecretInfo> info(String secretId, long now) {
    ExposureStore.SecretInfo i = infos.get(secretId);
    if (i == null || i.loadedAt() < now - INFO_TTL_MS) {
      Optional<ExposureStore.SecretInfo> loaded =
          db.read(h -> ExposureStore.secretInfo(h, secretId, now));
      loaded.ifPresentOrElse(v -> infos.put(secretId, v), () -> infos.remove(secretId));
      return loaded;
    }
    return Optional.of(i);
  }

  private void refreshThresholds(long now) {
    if (thresholdsAt > now - THRESHOLDS_TTL_MS && thresholdsAt <= now) {
      return;
    }
    try {
      thresholds = db.read(ExposureStore::thresholds);
      above.addAll(
          db.read(
              h ->
                  h.createQuery("SELECT secret_id FROM exposure_state WHERE above = 1")
                      .mapTo(String.class)
                      .list()));
      thresholdsAt = now;
    } catch (RuntimeException e) {
      LOG.warn("exposure thresholds not read, the last ones apply: {}", e.getMessage());
    }
  }

  /** The threshold that applies to a secret, and where it was set. */
  private record Applied(double threshold, String action, String source) {}

  /**
   * The threshold of a secret: its own, else its policy's, else its resource class's, else the
   * configured default.
   */
  private Applied thresholdFor(
      String secretId, String resourceClass, String policy, ExposureSettings s) {
    Threshold byPolicy = null;
    Threshold byClass = null;
    for (Threshold t : thresholds) {
      switch (t.targetKind()) {
        case "secret" -> {
          if (t.target().equals(secretId)) {
            return new Applied(t.threshold(), t.action(), "secret");
          }
        }
        case "policy" -> byPolicy = t.target().equals(policy) ? t : byPolicy;
        case "resource_class" -> byClass = t.target().equals(resourceClass) ? t : byClass;
        default -> {}
      }
    }
    if (byPolicy != null) {
      return new Applied(byPolicy.threshold(), byPolicy.action(), "policy");
    }
    if (byClass != null) {
      return new Applied(byClass.threshold(), byClass.action(), "resource_class");
    }
    return new Applied(s.threshold(), s.action(), "default");
  }

  /**
   * The secrets (or live tokens, {@code kind} {@code token}) this node scores, highest score first,
   * each with its explanation and drift over the window; only those of the caller's account unless
   * it is an administrator.
   */
  public List<Exposure> ranked(Caller caller, String kind, int limit) {
    caller.require(Scope.SECRETS_READ);
    if (limit < 1 || limit > 500) {
      throw new ValidationException("limit", "range", "limit must be between 1 and 500");
    }
    return switch (kind) {
      case "secret" ->
          latest.values().stream()
              .filter(x -> visible(caller, x.secretId()))
              .sorted(RANK)
              .limit(limit)
              .toList();
      case "token" -> rankedTokens(caller, limit);
      default -> throw new ValidationException("kind", "enum", "kind must be secret or token");
    };
  }

  private static final Comparator<Exposure> RANK =
      Comparator.comparingDouble(Exposure::score).reversed().thenComparing(Exposure::id);

  /**
   * Live tokens by score. The breadth of a grant is read from the store for the candidates only: a
   * token whose score without breadth, plus the most breadth can add, stays below the limit-th best
   * is not read.
   */
  private List<Exposure> rankedTokens(Caller caller, int limit) {
    if (!settings.enabled()) {
      return List.of();
    }
    long now = clock.millis();
    long w = settings.window().toMillis();
    List<Exposure> partial = new ArrayList<>();
    for (Map.Entry<String, Activity> e : counters.tokens.entrySet()) {
      Activity a = e.getValue();
      if (a.lastMs() < now - 2 * w) {
        continue;
      }
      String secretId = a.secretId();
      if (secretId == null || !visible(caller, secretId)) {
        continue;
      }
      Optional<ExposureStore.SecretInfo> info = info(secretId, now);
      if (info.isEmpty()) {
        continue;
      }
      Applied th = thresholdFor(secretId, info.get().resourceClass(), a.policy(), settings);
      partial.add(
          score("token", e.getKey(), secretId, a, info.get(), Breadth.Value.NONE, th, now, false));
    }
    partial.sort(RANK);
    if (partial.isEmpty()) {
      return List.of();
    }
    double kth = partial.get(Math.min(limit, partial.size()) - 1).score();
    List<Exposure> candidates =
        partial.stream().filter(x -> x.score() + Model.W_BREADTH >= kth).toList();
    Map<String, Breadth.Value> breadths =
        db.read(
            h ->
                ExposureStore.tokenBreadths(
                    h, candidates.stream().map(Exposure::id).toList(), now));
    List<Exposure> full = new ArrayList<>();
    for (Exposure x : candidates) {
      Breadth.Value b = breadths.get(x.id());
      if (b == null) {
        continue; // revoked or expired: no longer live
      }
      List<Factor> factors = new ArrayList<>(x.factors());
      factors.set(
          0, new Factor("scope_breadth", Model.W_BREADTH, Model.round(b.value()), b.detail()));
      full.add(
          new Exposure(
              x.kind(),
              x.id(),
              x.secretId(),
              Model.score(factors),
              0,
              0,
              x.threshold(),
              x.thresholdSource(),
              factors,
              x.drift(),
              x.at()));
    }
    full.sort(RANK);
    return full.size() > limit ? full.subList(0, limit) : full;
  }

  /** A secret's score now, its history (newest first) and its exposure replay. */
  public SecretExposure secret(Caller caller, String secretId, int limit) {
    caller.require(Scope.SECRETS_READ);
    if (limit < 1 || limit > 500) {
      throw new ValidationException("limit", "range", "limit must be between 1 and 500");
    }
    vault.get(caller, secretId); // unknown, or not the caller's: not found
    return db.read(
        h -> {
          List<SecretExposure.Point> history = new ArrayList<>();
          for (ExposureStore.Sample p : ExposureStore.history(h, secretId, limit)) {
            history.add(
                new SecretExposure.Point(
                    p.at(),
                    p.score(),
                    p.delta(),
                    List.of(JSON.readValue(p.factors(), Factor[].class))));
          }
          List<SecretExposure.ReplayEvent> replay = new ArrayList<>();
          for (ExposureStore.ReplayRow r : ExposureStore.replay(h, secretId, limit)) {
            int cut = r.reason().indexOf(" · ");
            replay.add(
                new SecretExposure.ReplayEvent(
                    "EX-" + r.offset(),
                    r.at(),
                    r.type(),
                    cut < 0 ? r.reason() : r.reason().substring(0, cut),
                    cut < 0 ? "" : r.reason().substring(cut + 3),
                    AuditLog.ref(r.offset())));
          }
          return new SecretExposure(
              secretId, Optional.ofNullable(latest.get(secretId)), history, replay);
        });
  }

  /**
   * The thresholds set (the configured default applies where none is); those of secrets only when
   * the caller owns them.
   */
  public List<Threshold> thresholds(Caller caller) {
    caller.require(Scope.SECRETS_READ);
    return db.read(ExposureStore::thresholds).stream()
        .filter(
            t ->
                !t.targetKind().equals("secret")
                    || caller.has(Scope.ADMIN)
                    || vault.find(t.target()).map(x -> caller.owns(x.accountId())).orElse(false))
        .toList();
  }

  /**
   * Sets a threshold on a secret (its owner, with {@code secrets:write}), a resource class or a
   * policy ({@code policies:write}); recorded in the trail as {@code exposure.threshold_set}.
   */
  public Threshold setThreshold(Caller caller, Threshold t) {
    requireNonNull(t, "threshold");
    if (t.targetKind().equals("secret")) {
      caller.require(Scope.SECRETS_WRITE);
      if (!vault.find(t.target()).map(x -> caller.owns(x.accountId())).orElse(false)) {
        throw new SecretNotFoundException(t.target().length() > 40 ? "(malformed id)" : t.target());
      }
    } else {
      // a resource class or a policy spans every account's secrets, and a crossing rotates or
      // contains them: only an operator of the whole broker sets one
      caller.require(Scope.POLICIES_WRITE);
      caller.require(Scope.ADMIN);
    }
    long now = clock.millis();
    db.inTransaction(
        h -> {
          ExposureStore.putThreshold(h, t, now);
          AuditEntry.Builder b =
              AuditEntry.of("exposure.threshold_set", caller.principal(), "done")
                  .reason(
                      String.format(
                          java.util.Locale.ROOT,
                          "exposure threshold set · %s %s · threshold %.2f · action %s",
                          t.targetKind(),
                          t.target(),
                          t.threshold(),
                          t.action()));
          if (t.targetKind().equals("secret")) {
            b.secret(t.target());
          }
          return audit.append(h, b.build());
        });
    thresholdsAt = Long.MIN_VALUE;
    return t;
  }

  private boolean visible(Caller caller, String secretId) {
    if (caller.has(Scope.ADMIN)) {
      return true;
    }
    ExposureStore.SecretInfo i = infos.get(secretId);
    return i != null && caller.owns(i.accountId());
  }

  /**
   * How many of the secrets this node scores (those the caller may see) are at or above their
   * threshold now, and the largest Δ among them all: the console's header band, one pass over
   * memory.
   */
  public Summary summary(Caller caller) {
    caller.require(Scope.SECRETS_READ);
    int at = 0;
    double rise = 0;
    for (Exposure x : latest.values()) {
      if (visible(caller, x.secretId())) {
        at += x.score() >= x.threshold() ? 1 : 0;
        rise = Math.max(rise, x.delta());
      }
    }
    return new Summary(at, rise);
  }

  /**
   * The header band's exposure figures.
   *
   * @param above secrets at or above their threshold
   * @param largestDelta the largest Δ over the window, 0 when none rose
   */
  public record Summary(int above, double largestDelta) {}

  /** Calls of secrets and tokens this node could not follow, its bounds being full. */
  public long leftOut() {
    return counters.leftOut();
  }
}
