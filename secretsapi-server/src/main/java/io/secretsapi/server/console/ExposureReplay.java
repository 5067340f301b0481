package io.secretsapi.server.console;

import io.javalin.http.Context;
import io.secretsapi.access.Caller;
import io.secretsapi.audit.AuditTrail;
import io.secretsapi.audit.AuditTrail.Stored;
import io.secretsapi.exposure.Exposure;
import io.secretsapi.exposure.SecretExposure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A secret's exposure replay at {@code /console/exposure/{id}}: what {@code GET
 * /secrets/{id}/exposure} answers (the score now, the history newest first, the {@code EX-}
 * events), and, on its own request after the page has rendered, whether those events are covered by
 * the latest signed checkpoint, checked by the audit screen's own code ({@link AuditRange}).
 */
final class ExposureReplay {
  /** Samples and events shown, as the API's default page. */
  private static final int LIMIT = 50;

  private static final List<String> TYPES = List.of("exposure.threshold", "exposure.threshold_set");

  private ExposureReplay() {}

  static void register(Console c) {
    ConsoleHttp http = c.http();
    http.page(
        ExposureScreen.PATH + "/{id}",
        "GET /secrets/{id}/exposure",
        (ctx, s) -> show(c, ctx, s),
        (ctx, s, r) -> ExposureScreen.show(c, ctx, s, Optional.of(r)));
    http.page(
        ExposureScreen.PATH + "/{id}/verify",
        "GET /audit/proof/inclusion",
        (ctx, s) -> verify(c, ctx, s),
        (ctx, s, r) ->
            c.templates()
                .answer(
                    ctx,
                    r.status(),
                    "audit-verify.jte",
                    new AuditRange.Outcome(false, "not verified: " + r.message(), List.of())));
  }

  private static void show(Console c, Context ctx, Session s) {
    Caller caller = s.caller();
    String id = ctx.pathParam("id");
    SecretExposure x = c.core().exposure().secret(caller, id, LIMIT);
    String name = c.core().vault().get(caller, id).name();
    Instant now = c.clock().instant();
    List<ExposureReplayPage.Point> history =
        x.history().stream()
            .map(
                p ->
                    new ExposureReplayPage.Point(
                        Times.utc(p.at(), now),
                        Times.iso(p.at()),
                        ExposureScreen.number(p.score()),
                        ExposureScreen.signed(p.delta())))
            .toList();
    List<Double> oldestFirst = new ArrayList<>();
    x.history().forEach(p -> oldestFirst.add(0, p.score()));
    double threshold =
        x.current().map(Exposure::threshold).orElse(c.core().exposure().settings().threshold());
    List<ExposureReplayPage.Event> replay =
        x.replay().stream()
            .map(
                e ->
                    new ExposureReplayPage.Event(
                        e.id(),
                        e.auditRef(),
                        Times.utc(e.at(), now),
                        Times.iso(e.at()),
                        e.type(),
                        e.title(),
                        e.detail()))
            .toList();
    ApiTable api = c.http().api();
    ExposureReplayPage model =
        new ExposureReplayPage(
            c.frame(s, "Exposure replay · " + name, "exposure"),
            id,
            name,
            x.current().map(ExposureReplay::now),
            history,
            Sparkline.of(oldestFirst, threshold),
            replay,
            Scopes.allows(caller, api, "GET /audit/trail")
                && Scopes.allows(caller, api, "GET /audit/proof/inclusion"));
    c.templates().answer(ctx, 200, "exposure-replay.jte", model);
  }

  private static ExposureReplayPage.Now now(Exposure x) {
    return new ExposureReplayPage.Now(
        ExposureScreen.number(x.score()),
        ExposureScreen.signed(x.delta()),
        ExposureScreen.seconds(x.deltaWindowSeconds()),
        ExposureScreen.number(x.threshold()),
        x.thresholdSource(),
        x.score() >= x.threshold());
  }

  /** The fragment under the events: are the shown {@code EX-} records signed? */
  private static void verify(Console c, Context ctx, Session s) {
    Caller caller = s.caller();
    Scopes.require(caller, c.http().api(), "GET /audit/trail");
    SecretExposure x = c.core().exposure().secret(caller, ctx.pathParam("id"), LIMIT);
    Set<Long> offsets =
        x.replay().stream()
            .map(e -> Long.parseLong(e.id().substring("EX-".length())))
            .collect(Collectors.toSet());
    List<Stored> shown = records(c.core().trail(), caller, x.secretId(), offsets);
    c.templates()
        .answer(
            ctx,
            200,
            "audit-verify.jte",
            AuditRange.verify(c.core().checkpoints(), shown, c.clock().instant()));
  }

  /**
   * The stored records behind the events, oldest first: one read of the trail per exposure type, by
   * the secret's index, within the events' offsets.
   */
  private static List<Stored> records(
      AuditTrail trail, Caller caller, String secretId, Set<Long> offsets) {
    if (offsets.isEmpty()) {
      return List.of();
    }
    long from = offsets.stream().mapToLong(Long::longValue).min().orElseThrow();
    long to = offsets.stream().mapToLong(Long::longValue).max().orElseThrow();
    List<Stored> out = new ArrayList<>();
    for (String type : TYPES) {
      AuditTrail.Filter f =
          new AuditTrail.Filter(
              Optional.of(secretId),
              Optional.empty(),
              Optional.empty(),
              Optional.of(type),
              Optional.of(from),
              Optional.of(to),
              LIMIT);
      trail.read(caller, f).stream().filter(r -> offsets.contains(r.offset())).forEach(out::add);
    }
    out.sort(Comparator.comparingLong(Stored::offset));
    return out;
  }
}
