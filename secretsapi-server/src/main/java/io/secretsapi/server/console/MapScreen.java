package io.secretsapi.server.console;

import io.secretsapi.access.ApiKey;
import io.secretsapi.access.Caller;
import io.secretsapi.access.ServiceAccount;
import io.secretsapi.secret.SecretFilter;
import io.secretsapi.token.TokenFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The architecture map (screen 9) at {@code /console/map}: the four trust zones with the broker's
 * live figures, each read from the service (or the meter) the API reads it from and shown only to a
 * key the API would answer. The page polls itself with htmx every few seconds. Opening it needs
 * {@code GET /tokens}'s scope ({@code audit:read}): the map is a view of the broker's traffic.
 */
final class MapScreen {
  static final String PATH = "/console/map";

  /** Active tokens are counted up to this many (the token listing's largest page). */
  static final int COUNT_UP_TO = 500;

  private MapScreen() {}

  static void register(Console c) {
    Throughput throughput = new Throughput(c.core().meters(), c.clock().instant());
    ConsoleHttp.OnRefusal refused =
        (ctx, s, r) ->
            c.templates()
                .answer(
                    ctx,
                    r.status(),
                    "map.jte",
                    new MapPage(
                        c.frame(s, "Architecture map", "map").withRefusal(r), List.of(), ""));
    c.http()
        .page(
            PATH,
            "GET /tokens",
            (ctx, s) ->
                c.templates()
                    .answer(ctx, 200, "map.jte", page(c, s, throughput.at(c.clock().instant()))),
            refused);
  }

  static MapPage page(Console c, Session s, Throughput.Window w) {
    Caller caller = s.caller();
    Instant now = c.clock().instant();
    List<MapPage.Zone> zones =
        List.of(
            new MapPage.Zone(
                "callers",
                "Callers",
                "agents and operators, each with an API key of a service account",
                callers(c, caller)),
            new MapPage.Zone(
                "broker",
                "Broker",
                "issues scoped, short-lived tokens; keeps the audit chain",
                broker(c, caller, w)),
            new MapPage.Zone(
                "enforcement",
                "Enforcement",
                "the policy gate and each token's own limits, before every use",
                enforcement(c, caller, w)),
            new MapPage.Zone(
                "vault",
                "Vault",
                "secrets sealed under the key-encryption key; signed checkpoints",
                vault(c, caller, now)));
    return new MapPage(
        c.frame(s, "Architecture map", "map"), zones, "as of " + Times.utc(now, now));
  }

  private static List<MapPage.Figure> callers(Console c, Caller caller) {
    List<MapPage.Figure> f = new ArrayList<>();
    List<ServiceAccount> accounts = c.core().access().listServiceAccounts(caller);
    long activeAccounts = accounts.stream().filter(a -> a.revokedAt().isEmpty()).count();
    f.add(
        new MapPage.Figure(
            "accounts",
            "Service accounts",
            Long.toString(activeAccounts),
            "active, of " + accounts.size() + " visible"));
    long keys =
        c.core().access().listKeys(caller, Optional.empty()).stream()
            .filter(ApiKey::isActive)
            .count();
    f.add(new MapPage.Figure("keys", "API keys", Long.toString(keys), "active"));
    f.add(
        new MapPage.Figure(
            "streams",
            "Event streams",
            Integer.toString(c.core().feed().listeners()),
            "open on this node"));
    return f;
  }

  private static List<MapPage.Figure> broker(Console c, Caller caller, Throughput.Window w) {
    List<MapPage.Figure> f = new ArrayList<>();
    if (Scopes.allows(caller, c.http().api(), "GET /tokens")) {
      int n =
          c.core()
              .tokens()
              .list(
                  caller,
                  new TokenFilter(
                      Optional.empty(),
                      Optional.empty(),
                      Optional.of("active"),
                      Optional.empty(),
                      COUNT_UP_TO,
                      0))
              .size();
      f.add(
          new MapPage.Figure(
              "active-tokens",
              "Active tokens",
              n < COUNT_UP_TO ? Integer.toString(n) : COUNT_UP_TO + "+",
              "visible to this key"));
    }
    f.add(rate("grants", "Grants", w.grants(), w.grantsPerMinute(), w));
    return f;
  }

  private static List<MapPage.Figure> enforcement(Console c, Caller caller, Throughput.Window w) {
    List<MapPage.Figure> f = new ArrayList<>();
    if (Scopes.allows(caller, c.http().api(), "GET /policies")) {
      f.add(
          new MapPage.Figure(
              "policies",
              "Policy sets",
              Integer.toString(c.core().policies().list().size()),
              "in force"));
    }
    f.add(rate("refusals", "Refusals", w.refusals(), w.refusalsPerMinute(), w));
    return f;
  }

  private static List<MapPage.Figure> vault(Console c, Caller caller, Instant now) {
    List<MapPage.Figure> f = new ArrayList<>();
    if (Scopes.allows(caller, c.http().api(), "GET /secrets")) {
      long active = count(c, caller, "active");
      f.add(new MapPage.Figure("secrets", "Secrets", Long.toString(active), "active"));
      f.add(
          new MapPage.Figure(
              "sealed",
              "Secrets sealed",
              Long.toString(count(c, caller, "sealed")),
              "deleted, every version sealed"));
    }
    boolean kek = c.core().missingKek().isEmpty();
    f.add(
        new MapPage.Figure(
            "kek", "Key-encryption key", kek ? "held" : "missing", kek ? "" : "degraded"));
    if (Scopes.allows(caller, c.http().api(), "GET /audit/checkpoints")) {
      c.band()
          .latestCheckpoint()
          .ifPresent(
              cp ->
                  f.add(
                      new MapPage.Figure(
                          "checkpoint",
                          "Checkpoint",
                          "offset " + cp.treeSize(),
                          "signed · "
                              + HeaderBand.shortHash(cp.rootHash())
                              + " · "
                              + Times.utc(cp.time(), now))));
    }
    return f;
  }

  /**
   * Grants or refusals: per minute once a minute has been measured, else the plain count since the
   * console's first reading.
   */
  private static MapPage.Figure rate(
      String slug, String label, long count, double perMinute, Throughput.Window w) {
    if (w.full()) {
      return new MapPage.Figure(
          slug, label + " / min", decimal(perMinute), count + " in the last " + span(w.span()));
    }
    return new MapPage.Figure(
        slug, label, Long.toString(count), "in the last " + span(w.span()) + " (measuring)");
  }

  private static String decimal(double x) {
    return x == Math.rint(x) ? Long.toString((long) x) : String.format(Locale.ROOT, "%.1f", x);
  }

  private static String span(Duration d) {
    long s = d.toSeconds();
    return s < 120 ? s + "s" : s / 60 + "m";
  }

  /** How many secrets the key sees with {@code status}, as the header band counts them. */
  private static long count(Console c, Caller caller, String status) {
    return c.core()
        .vault()
        .list(
            caller,
            new SecretFilter(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                status,
                "created",
                1,
                0))
        .total();
  }
}
