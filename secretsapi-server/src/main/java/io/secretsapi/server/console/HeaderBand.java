package io.secretsapi.server.console;

import static java.util.Objects.requireNonNull;

import io.secretsapi.BrokerCore;
import io.secretsapi.access.Caller;
import io.secretsapi.audit.AuditCheckpoints.Checkpoint;
import io.secretsapi.exposure.ExposureService;
import io.secretsapi.rotation.RotationState;
import io.secretsapi.secret.SecretFilter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Makes the header band (screen 1) for one operator. Each figure comes from the service the API
 * reads it from, and only for a key the API would answer: secrets need {@code GET /secrets}'s
 * scope, the audit offset and checkpoint {@code GET /audit/checkpoints}'s, the rotation queue
 * {@code GET /rotations}'s, exposure {@code GET /exposure}'s. Grant latency, which the broker does
 * not time, is not shown.
 */
final class HeaderBand {
  private final BrokerCore core;
  private final ConsoleOptions options;
  private final ApiTable api;
  private final Clock clock;

  HeaderBand(BrokerCore core, ConsoleOptions options, ApiTable api, Clock clock) {
    this.core = requireNonNull(core, "core");
    this.options = requireNonNull(options, "options");
    this.api = requireNonNull(api, "api");
    this.clock = requireNonNull(clock, "clock");
  }

  Band of(Caller caller) {
    List<Band.Item> items = new ArrayList<>();
    boolean kek = core.missingKek().isEmpty();
    items.add(new Band.Item("Status", kek ? "Operational" : "Degraded", kek ? "" : "missing KEK"));
    if (!options.environment().isEmpty()) {
      items.add(new Band.Item("Env", options.environment(), ""));
    }
    if (!options.region().isEmpty()) {
      items.add(new Band.Item("Region", options.region(), ""));
    }
    if (Scopes.allows(caller, api, "GET /secrets")) {
      long active = count(caller, "active");
      long sealed = count(caller, "sealed");
      items.add(new Band.Item("Secrets", Long.toString(active), "/ " + (active + sealed)));
    }
    if (Scopes.allows(caller, api, "GET /rotations")) {
      items.add(rotationQueue(caller));
    }
    if (Scopes.allows(caller, api, "GET /exposure") && core.exposure().settings().enabled()) {
      ExposureService.Summary x = core.exposure().summary(caller);
      items.add(
          new Band.Item(
              "Exposure",
              Integer.toString(x.above()),
              String.format(Locale.ROOT, "drift +%.2f", x.largestDelta())));
    }
    if (Scopes.allows(caller, api, "GET /audit/checkpoints")) {
      latestCheckpoint()
          .ifPresent(
              c -> {
                items.add(new Band.Item("Offset", Long.toString(c.treeSize()), "signed"));
                items.add(
                    new Band.Item(
                        "Checkpoint",
                        shortHash(c.rootHash()),
                        Times.utc(c.time(), clock.instant())));
              });
    }
    return new Band(List.copyOf(items));
  }

  /**
   * {@code Rotation Q7 depth 4}: seven rotations open (not yet sealed or failed), four of them in
   * flight (still making their new value); one grouped count.
   */
  private Band.Item rotationQueue(Caller caller) {
    Map<RotationState, Long> open = core.rotations().openCounts(caller);
    long all = open.values().stream().mapToLong(Long::longValue).sum();
    long inFlight =
        open.entrySet().stream()
            .filter(e -> e.getKey().inFlight())
            .mapToLong(Map.Entry::getValue)
            .sum();
    return new Band.Item("Rotation", "Q" + all, "depth " + inFlight);
  }

  Optional<Checkpoint> latestCheckpoint() {
    return core.checkpoints().latest(1).stream().findFirst();
  }

  /** A root hash as the documents show it: {@code 3F2A · D981}. */
  static String shortHash(String hex) {
    String h = hex.toUpperCase(Locale.ROOT);
    return h.length() < 8 ? h : h.substring(0, 4) + " · " + h.substring(h.length() - 4);
  }

  private long count(Caller caller, String status) {
    SecretFilter f =
        new SecretFilter(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            status,
            "created",
            1,
            0);
    return core.vault().list(caller, f).total();
  }
}
