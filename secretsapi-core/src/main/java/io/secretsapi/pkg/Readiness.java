package io.secretsapi.pkg;

import io.secretsapi.secret.Secret;
import io.secretsapi.secret.Validation;
import io.secretsapi.secret.ValidationStore;
import io.secretsapi.secret.Vault;
import io.secretsapi.storage.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The posture of packages and the credential vault of engines, both computed on read from the
 * secrets, their last validation and their rotation settings. A validation on a schedule is stale
 * once two of its periods have passed without a new result (one period, and the scheduler's slack);
 * a validation run only on demand never goes stale.
 */
final class Readiness {
  private Readiness() {}

  static Posture posture(Database db, Vault vault, Instant now, ServicePackage p) {
    Set<String> secrets = new LinkedHashSet<>();
    p.items().forEach(i -> secrets.add(i.secretId()));
    List<Posture.Reason> reasons = new ArrayList<>();
    for (String id : secrets) {
      why(vault.find(id), ValidationStore.find(db, id), now)
          .ifPresent(w -> reasons.add(new Posture.Reason(id, w)));
    }
    return new Posture(reasons.isEmpty() ? Posture.READY : Posture.REVIEW, List.copyOf(reasons));
  }

  /** Why a secret is not ready, or empty when it is active and freshly validated healthy. */
  static Optional<String> why(Optional<Secret> s, Optional<Validation> v, Instant now) {
    if (s.isEmpty()) {
      return Optional.of("the secret no longer exists");
    }
    if (!s.get().status().equals("active")) {
      return Optional.of("the secret is " + s.get().status());
    }
    if (v.isEmpty()) {
      return Optional.of("the secret has never been validated");
    }
    Validation val = v.get();
    if (val.status().equals(Validation.FAILED)) {
      return Optional.of("validation failed at " + val.checkedAt() + ": " + val.reason());
    }
    if (val.status().equals(Validation.ROTATION_DUE)) {
      return Optional.of("rotation due: " + val.reason());
    }
    if (!val.status().equals(Validation.HEALTHY)) {
      return Optional.of("validation status is " + val.status());
    }
    if (stale(val, now)) {
      return Optional.of(
          "the last validation, at "
              + val.checkedAt()
              + ", is older than two of its periods of "
              + io.secretsapi.Durations.format(val.every()));
    }
    return Optional.empty();
  }

  static boolean stale(Validation v, Instant now) {
    Duration every = v.every();
    return !every.isZero() && v.checkedAt().plus(every.multipliedBy(2)).isBefore(now);
  }

  /**
   * The credential vault of an engine: one row per bundled secret and scope of its bound packages,
   * in order of secret and scope.
   */
  static List<Credential> credentials(
      Database db, Vault vault, Instant now, Map<String, List<ServicePackage.Item>> bound) {
    Map<ServicePackage.Item, List<String>> byItem =
        new java.util.TreeMap<>(
            java.util.Comparator.comparing(ServicePackage.Item::secretId)
                .thenComparing(ServicePackage.Item::scope));
    bound.forEach(
        (pkg, items) ->
            items.forEach(i -> byItem.computeIfAbsent(i, k -> new ArrayList<>()).add(pkg)));
    List<Credential> out = new ArrayList<>();
    byItem.forEach(
        (item, pkgs) -> {
          Optional<Secret> s = vault.find(item.secretId());
          if (s.isEmpty()) {
            return;
          }
          Optional<Validation> v = ValidationStore.find(db, item.secretId());
          Optional<Instant> next = db.read(h -> PackageStore.nextRotation(h, item.secretId()));
          out.add(
              new Credential(
                  s.get().id(),
                  s.get().name(),
                  s.get().provider(),
                  item.scope(),
                  status(s.get(), v, now),
                  next,
                  validation(v),
                  v.map(Validation::checkedAt),
                  s.get().masked(),
                  s.get().fingerprint(),
                  List.copyOf(pkgs)));
        });
    return out;
  }

  private static String status(Secret s, Optional<Validation> v, Instant now) {
    if (!s.status().equals("active")) {
      return "Secret " + s.status();
    }
    if (v.isEmpty()) {
      return "Not validated";
    }
    return switch (v.get().status()) {
      case Validation.HEALTHY -> stale(v.get(), now) ? "Validation stale" : "Healthy";
      case Validation.ROTATION_DUE -> "Rotation due";
      case Validation.FAILED -> "Validation failed";
      default -> v.get().status();
    };
  }

  private static String validation(Optional<Validation> v) {
    if (v.isEmpty()) {
      return "Not validated";
    }
    return (v.get().status().equals(Validation.FAILED) ? "Validation failed at " : "Validated at ")
        + v.get().checkedAt();
  }
}
