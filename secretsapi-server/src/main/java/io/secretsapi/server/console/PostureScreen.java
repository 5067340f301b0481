package io.secretsapi.server.console;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.secretsapi.Durations;
import io.secretsapi.access.Caller;
import io.secretsapi.secret.Secret;
import io.secretsapi.secret.SecretFilter;
import io.secretsapi.secret.SecretPage;
import io.secretsapi.secret.SecretVersion;
import io.secretsapi.secret.Validation;
import io.secretsapi.secret.ValidationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Credential posture (screen 8) at {@code /console/posture}: the secrets of {@code GET /secrets}
 * with what the broker records of each (the last validation probe, the current version's time plus
 * the configured rotation period), the selected one's masked detail, and "validate now", which does
 * what {@code POST /secrets/{id}/validate} does through the same validator.
 *
 * <p>Status: {@code Validation failed} when the last probe failed; else {@code Rotation due} when
 * the current version is now older than the rotation period (the validator's own rule, applied at
 * the time shown rather than at the last probe's); else {@code Healthy} when a probe passed; else
 * {@code Not validated}.
 */
final class PostureScreen {
  static final String PATH = "/console/posture";
  static final int PAGE = 50;

  private PostureScreen() {}

  static void register(Console c) {
    ConsoleHttp http = c.http();
    ConsoleHttp.OnRefusal again = (ctx, s, r) -> show(c, ctx, s, Optional.of(r));
    http.page(PATH, "GET /secrets", (ctx, s) -> show(c, ctx, s, Optional.empty()), again);
    http.action(
        PATH + "/{id}/validate",
        "POST /secrets/{id}/validate",
        (ctx, s) -> {
          String id = ctx.pathParam("id");
          c.http().api().validate(s.caller(), id, c.http().api().requestId(ctx));
          ctx.redirect(PATH + "?id=" + id + "&validated=1", HttpStatus.SEE_OTHER);
        },
        again);
  }

  static void show(Console c, Context ctx, Session s, Optional<Refusal> refusal) {
    Caller caller = s.caller();
    Instant now = c.clock().instant();
    Duration period = c.http().api().rotationPeriod();
    SecretPage page =
        c.core()
            .vault()
            .list(
                caller,
                new SecretFilter(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    "active",
                    "name",
                    PAGE,
                    0));
    String wanted = refusal.isPresent() ? pathId(ctx) : ctx.queryParam("id");
    Optional<Secret> selected =
        page.items().stream()
            .filter(x -> x.id().equals(wanted))
            .findFirst()
            .or(() -> page.items().stream().findFirst());
    List<PosturePage.Row> rows =
        page.items().stream()
            .map(x -> row(c, caller, x, period, now, selected.filter(x::equals).isPresent()))
            .toList();
    Frame frame = c.frame(s, "Credential posture", "posture");
    Optional<PosturePage.Detail> detail = selected.map(x -> detail(c, caller, x, period, now));
    if (refusal.isPresent()) {
      frame = frame.withRefusal(refusal.get());
    } else if (ctx.queryParam("validated") != null && detail.isPresent()) {
      PosturePage.Detail d = detail.get();
      frame = frame.withNotice("validated " + d.id() + " · " + d.status() + " · " + d.reason());
    }
    PosturePage model =
        new PosturePage(
            frame,
            rows,
            page.summary(),
            detail,
            Durations.format(period),
            Scopes.allows(caller, c.http().api(), "POST /secrets/{id}/validate"));
    c.templates().answer(ctx, refusal.map(Refusal::status).orElse(200), "posture.jte", model);
  }

  /** After a refused "validate now", the credential it was for stays selected. */
  private static String pathId(Context ctx) {
    try {
      return ctx.pathParam("id");
    } catch (RuntimeException none) {
      return ctx.queryParam("id");
    }
  }

  private static PosturePage.Row row(
      Console c, Caller caller, Secret x, Duration period, Instant now, boolean selected) {
    Optional<Validation> v = ValidationStore.find(c.core().db(), x.id());
    Instant next = since(c, caller, x).plus(period);
    return new PosturePage.Row(
        x.id(),
        x.name(),
        x.environment(),
        x.provider(),
        x.resourceClass(),
        status(v, next, now),
        Times.utc(next, now),
        Times.iso(next),
        validation(v, now),
        selected);
  }

  private static PosturePage.Detail detail(
      Console c, Caller caller, Secret x, Duration period, Instant now) {
    Optional<Validation> v = ValidationStore.find(c.core().db(), x.id());
    Instant since = since(c, caller, x);
    Instant next = since.plus(period);
    return new PosturePage.Detail(
        x.id(),
        x.name(),
        x.provider(),
        x.resourceClass(),
        x.environment(),
        x.owner() == null ? "" : x.owner(),
        status(v, next, now),
        x.masked(),
        x.fingerprint(),
        x.currentVersion(),
        Times.utc(since, now),
        Times.utc(next, now),
        validation(v, now),
        v.map(Validation::reason).orElse("no probe has run yet"),
        v.map(PostureScreen::target).orElse(x.validationUrl().orElse("the provider's preset")),
        v.map(y -> schedule(y, now)).orElse("on demand"));
  }

  static String status(Optional<Validation> v, Instant nextRotation, Instant now) {
    if (v.isPresent() && v.get().status().equals(Validation.FAILED)) {
      return "Validation failed";
    } else if (!nextRotation.isAfter(now)) {
      return "Rotation due";
    } else if (v.isPresent()) {
      return "Healthy";
    }
    return "Not validated";
  }

  private static String validation(Optional<Validation> v, Instant now) {
    if (v.isEmpty()) {
      return "never validated";
    }
    String ago = Times.ago(Optional.of(v.get().checkedAt()), now);
    return v.get().status().equals(Validation.FAILED)
        ? "Validation failed " + ago
        : "Validated " + ago;
  }

  private static String target(Validation v) {
    return v.url().orElse("preset " + v.preset());
  }

  private static String schedule(Validation v, Instant now) {
    if (v.every().isZero()) {
      return "on demand";
    }
    return "every "
        + Durations.format(v.every())
        + v.nextCheckAt().map(n -> " · next " + Times.utc(n, now)).orElse("");
  }

  /** When the current version was made (the time a rotation period counts from). */
  private static Instant since(Console c, Caller caller, Secret x) {
    return c.core().vault().versions(caller, x.id()).stream()
        .filter(v -> v.version() == x.currentVersion())
        .map(SecretVersion::createdAt)
        .findFirst()
        .orElse(x.updatedAt());
  }
}
