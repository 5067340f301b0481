package io.secretsapi.server;

import static java.util.Objects.requireNonNull;

import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.policy.Decision;
import io.secretsapi.policy.PolicyDeniedException;
import io.secretsapi.policy.PolicyEngine;
import io.secretsapi.policy.PolicyRequest;
import io.secretsapi.proxy.Injection;
import io.secretsapi.secret.CleartextSecrets;
import io.secretsapi.secret.Secret;
import io.secretsapi.secret.Validation;
import io.secretsapi.secret.ValidationStore;
import io.secretsapi.secret.Vault;
import io.secretsapi.storage.Database;
import io.secretsapi.storage.Leadership;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;

/**
 * Probes a provider with a secret's stored key and keeps the result: {@code healthy}, {@code
 * rotation due} or {@code validation failed}, with the time and the reason. The probe is a harmless
 * read of each provider (list models, balance, token verify, current user) or a GET of a given URL;
 * it goes through {@link UpstreamClient}, so it reaches no internal address unless the operator
 * allowed it. The provider's answer body is never kept or returned.
 */
final class SecretValidator implements AutoCloseable {
  /** A provider check: its default base URL, the path it reads, and extra headers. */
  record Preset(String name, String base, String path, Map<String, String> headers) {}

  static final Map<String, Preset> PRESETS =
      Map.of(
          "openai", new Preset("openai", "https://api.openai.com", "/v1/models", Map.of()),
          "anthropic",
              new Preset(
                  "anthropic",
                  "https://api.anthropic.com",
                  "/v1/models",
                  Map.of("anthropic-version", "2023-06-01")),
          "stripe", new Preset("stripe", "https://api.stripe.com", "/v1/balance", Map.of()),
          "cloudflare",
              new Preset(
                  "cloudflare",
                  "https://api.cloudflare.com",
                  "/client/v4/user/tokens/verify",
                  Map.of()),
          "github",
              new Preset(
                  "github",
                  "https://api.github.com",
                  "/user",
                  Map.of("Accept", "application/vnd.github+json")));

  /** How long a claimed validation waits for its node before it is due again: 8 probe timeouts. */
  static final Duration CLAIM = Duration.ofMinutes(2);

  private final Database db;
  private final Vault vault;
  private final CleartextSecrets cleartext;
  private final AuditLog audit;
  private final Clock clock;
  private final Map<String, String> baseUrls;
  private final Duration rotationPeriod;
  private final HttpClient client;
  private final Set<String> insecure;
  private final PolicyEngine gate;
  private final java.util.function.Predicate<String> activePrincipal;
  private final Leadership leader;

  SecretValidator(
      Database db,
      Vault vault,
      CleartextSecrets cleartext,
      AuditLog audit,
      Clock clock,
      Set<String> insecure,
      Map<String, String> baseUrls,
      Duration rotationPeriod,
      PolicyEngine gate,
      java.util.function.Predicate<String> activePrincipal,
      Leadership leader) {
    this.db = requireNonNull(db, "db");
    this.vault = requireNonNull(vault, "vault");
    this.cleartext = requireNonNull(cleartext, "cleartext");
    this.audit = requireNonNull(audit, "audit");
    this.clock = requireNonNull(clock, "clock");
    this.baseUrls = Map.copyOf(baseUrls);
    this.rotationPeriod = requireNonNull(rotationPeriod, "rotationPeriod");
    this.insecure = Set.copyOf(insecure);
    this.gate = requireNonNull(gate, "gate");
    this.activePrincipal = requireNonNull(activePrincipal, "activePrincipal");
    this.leader = requireNonNull(leader, "leader");
    this.client = UpstreamClient.start(insecure, 30_000);
  }

  /** How old a current version may be before a passing probe reads {@code rotation due}. */
  Duration rotationPeriod() {
    return rotationPeriod;
  }

  /**
   * Validates a secret the caller may see, now; {@code every} (when given) schedules it again. The
   * probe goes to the secret's validation endpoint, which only its owner sets with {@code
   * secrets:write}, or else to the provider's preset: nothing in this request chooses where the
   * value goes. The policy gate decides first, as for every use of the value.
   */
  Validation validate(
      Caller caller, String secretId, Optional<Duration> every, Optional<String> requestId) {
    Secret s = vault.get(caller, secretId);
    if (!s.status().equals("active")) {
      throw new ValidationException("id", "active", "secret " + secretId + " is sealed");
    }
    every.ifPresent(
        d -> {
          if (!d.isZero() && d.compareTo(Duration.ofMinutes(5)) < 0) {
            throw new ValidationException("every", "range", "every must be 0 or at least 5m");
          }
        });
    Target target = target(s);
    Optional<Validation> last = ValidationStore.find(db, secretId);
    Duration schedule = every.orElseGet(() -> last.map(Validation::every).orElse(Duration.ZERO));
    Decision d = gate.decide(request(caller.principal(), s));
    if (!d.allowed()) {
      long offset =
          db.inTransaction(
              h ->
                  audit.append(
                      h,
                      refusal(caller.principal(), s, d).requestId(requestId.orElse(null)).build()));
      throw new PolicyDeniedException(d.ref(), d.reason(), AuditLog.ref(offset));
    }
    return probe(s, caller.principal(), target, schedule, Optional.of(caller.principal()));
  }

  /**
   * Runs the scheduled validations that are due; the periodic job calls it on the leader. Each is
   * claimed first, behind the leader's fence, so that of runs that overlap only one probes the
   * provider and a node whose term has ended probes nothing; a node that dies holding one leaves it
   * due again after {@link #CLAIM}. Each asks the policy gate for the principal who set the
   * schedule: a schedule outlives no change of policy.
   *
   * @throws io.secretsapi.storage.NotLeaderException when this node does not lead (any more)
   */
  int runDue() {
    int n = 0;
    Instant now = clock.instant();
    for (Validation v : ValidationStore.due(db, now, 20)) {
      if (!ValidationStore.claim(db, leader, v, now.plus(CLAIM))) {
        continue; // another node has it
      }
      Optional<Secret> s = vault.find(v.secretId());
      if (s.isEmpty()) {
        continue;
      }
      String principal = v.requestedBy().orElse("broker");
      if (!activePrincipal.test(principal)) {
        notProbed(
            s.get(),
            v,
            "the principal who scheduled it, " + principal + ", is revoked",
            AuditEntry.of("secret.validate", "broker", "deny")
                .secret(s.get().id())
                .environment(s.get().environment())
                .subject(principal)
                .reason("not probed and unscheduled: the principal who scheduled it is revoked")
                .build(),
            false);
        continue;
      }
      Target target;
      try {
        target = target(s.get());
      } catch (ValidationException e) {
        notProbed(s.get(), v, e.getMessage(), null, true); // no endpoint any more, no preset
        continue;
      }
      Decision d = gate.decide(request(principal, s.get()));
      if (!d.allowed()) {
        notProbed(
            s.get(),
            v,
            "the policy gate refused validation for " + principal,
            refusal(principal, s.get(), d).build(),
            true);
        continue;
      }
      probe(s.get(), "broker", target, v.every(), v.requestedBy());
      n++;
    }
    return n;
  }

  /** Where a probe of {@code s} goes: its endpoint, or its provider's preset. */
  private record Target(URI uri, Optional<Preset> preset) {}

  private Target target(Secret s) {
    if (s.validationUrl().isPresent()) {
      return new Target(URI.create(s.validationUrl().get()), Optional.empty());
    }
    Preset preset = PRESETS.get(s.provider().toLowerCase(Locale.ROOT));
    if (preset == null) {
      throw new ValidationException(
          "validation_url",
          "required",
          "provider "
              + s.provider()
              + " has no preset check; the owner sets one with PUT /secrets/{id}/validation-endpoint"
              + " (secrets:write)");
    }
    return new Target(
        URI.create(baseUrls.getOrDefault(preset.name(), preset.base()) + preset.path()),
        Optional.of(preset));
  }

  private PolicyRequest request(String principal, Secret s) {
    return new PolicyRequest(
        principal,
        "",
        "validate",
        s,
        Optional.empty(),
        Optional.empty(),
        s.environment(),
        Map.of(),
        Optional.empty(),
        clock.instant());
  }

  private static AuditEntry.Builder refusal(String principal, Secret s, Decision d) {
    return AuditEntry.of("secret.validate", principal, "deny")
        .secret(s.id())
        .environment(s.environment())
        .policy(new AuditEntry.PolicyRef(d.ref().id(), d.ref().version(), d.ref().rule()))
        .reason("the policy gate refused validation: " + d.reason());
  }

  /**
   * A scheduled probe that did not run: kept as the last result and recorded when {@code record} is
   * given. It stays scheduled when {@code keep} (it runs again once the policy or the endpoint
   * allows); otherwise the schedule ends.
   */
  private void notProbed(Secret s, Validation due, String why, AuditEntry record, boolean keep) {
    Instant now = clock.instant();
    Validation v =
        new Validation(
            s.id(),
            Validation.FAILED,
            "not probed: " + why,
            Optional.empty(),
            due.preset(),
            due.url(),
            now,
            keep ? due.every() : Duration.ZERO,
            keep ? Optional.of(now.plus(due.every())) : Optional.empty(),
            keep ? due.requestedBy() : Optional.empty());
    db.inTransaction(
        h -> {
          ValidationStore.save(h, v);
          return record == null ? 0L : audit.append(h, record);
        });
  }

  private Validation probe(
      Secret s, String actor, Target t, Duration every, Optional<String> requestedBy) {
    URI target = t.uri();
    Optional<Preset> preset = t.preset();
    String presetName = preset.map(Preset::name).orElse("http");
    Injection injection = s.injection();
    if ("http".equals(target.getScheme())
        && !UpstreamClient.insecure(insecure, target.getHost(), target.getPort())) {
      throw new ValidationException(
          "validation_url",
          "https",
          "plain http is only for hosts listed in proxy.insecure_upstreams; the key would travel"
              + " in clear");
    }
    String value = cleartext.current(s.id());
    Instant now = clock.instant();
    String status;
    String reason;
    Integer http = null;
    try {
      Request req =
          client
              .newRequest(injection.target(target, value))
              .method("GET")
              .timeout(15, TimeUnit.SECONDS)
              .headers(
                  h -> {
                    preset.ifPresent(p -> p.headers().forEach(h::put));
                    if (injection.inHeader()) {
                      h.put(injection.header(), injection.headerValue(value));
                    }
                  });
      ContentResponse r = req.send();
      http = r.getStatus();
      if (http / 100 == 2) {
        Instant since = currentVersionSince(s);
        if (since.plus(rotationPeriod).isBefore(now)) {
          status = Validation.ROTATION_DUE;
          reason =
              "the provider accepted the key; the current version is from "
                  + since
                  + ", older than the rotation period of "
                  + io.secretsapi.Durations.format(rotationPeriod);
        } else {
          status = Validation.HEALTHY;
          reason = "the provider accepted the key (HTTP " + http + ")";
        }
      } else if (http == 401 || http == 403) {
        status = Validation.FAILED;
        reason = "the provider refused the key (HTTP " + http + ")";
      } else {
        status = Validation.FAILED;
        reason = "the provider answered HTTP " + http;
      }
    } catch (java.util.concurrent.ExecutionException e) {
      status = Validation.FAILED;
      Throwable c = e.getCause() == null ? e : e.getCause();
      reason =
          c instanceof UpstreamClient.BlockedUpstreamException
              ? c.getMessage()
              : "the provider could not be reached (" + c.getClass().getSimpleName() + ")";
    } catch (Injection.UnfitValueException e) {
      status = Validation.FAILED;
      reason = e.getMessage();
    } catch (java.util.concurrent.TimeoutException e) {
      status = Validation.FAILED;
      reason = "the provider did not answer within 15 s";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while validating", e);
    }
    Validation v =
        new Validation(
            s.id(),
            status,
            reason,
            Optional.ofNullable(http),
            presetName,
            s.validationUrl(),
            now,
            every,
            every.isZero() ? Optional.empty() : Optional.of(now.plus(every)),
            every.isZero() ? Optional.empty() : requestedBy);
    String st = status;
    String why = reason;
    db.inTransaction(
        h -> {
          ValidationStore.save(h, v);
          return audit.append(
              h,
              AuditEntry.of(
                      "secret.validate", actor, st.equals(Validation.FAILED) ? "deny" : "done")
                  .secret(s.id())
                  .environment(s.environment())
                  .reason(st + ": " + why)
                  .build());
        });
    return v;
  }

  private Instant currentVersionSince(Secret s) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT created_at FROM secret_versions WHERE secret_id = :id AND version = :v")
                .bind("id", s.id())
                .bind("v", s.currentVersion())
                .mapTo(Long.class)
                .findOne()
                .map(Instant::ofEpochMilli)
                .orElse(s.updatedAt()));
  }

  @Override
  public void close() {
    try {
      client.stop();
    } catch (Exception ignored) {
      // stopping
    }
  }
}
