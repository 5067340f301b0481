package io.secretsapi.server.console;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.exposure.Exposure;
import io.secretsapi.exposure.ExposureService;
import io.secretsapi.exposure.ExposureSettings;
import io.secretsapi.exposure.Factor;
import io.secretsapi.exposure.Threshold;
import io.secretsapi.secret.Secret;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The exposure screen at {@code /console/exposure}: what {@code GET /exposure} ranks (secrets, or
 * live tokens with {@code ?kind=token}), the selected row's explanation, what {@code GET
 * /exposure/thresholds} lists, and the form of {@code PUT /exposure/thresholds}, through the same
 * {@link ExposureService} and scopes (docs/exposure.md, design 0027). Each secret's exposure replay
 * is {@link ExposureReplay}.
 */
final class ExposureScreen {
  static final String PATH = "/console/exposure";

  /** Rows shown: the highest scores; a screen, not an export. */
  private static final int ROWS = 25;

  private ExposureScreen() {}

  static void register(Console c) {
    ConsoleHttp http = c.http();
    ConsoleHttp.OnRefusal again = (ctx, s, r) -> show(c, ctx, s, Optional.of(r));
    http.page(PATH, "GET /exposure", (ctx, s) -> show(c, ctx, s, Optional.empty()), again);
    http.action(
        PATH + "/thresholds",
        "PUT /exposure/thresholds",
        (ctx, s) -> {
          Threshold t = c.core().exposure().setThreshold(s.caller(), threshold(ctx));
          ctx.redirect(
              PATH + "?set=" + URLEncoder.encode(key(t), StandardCharsets.UTF_8),
              HttpStatus.SEE_OTHER);
        },
        again);
    ExposureReplay.register(c);
  }

  static void show(Console c, Context ctx, Session s, Optional<Refusal> refusal) {
    Caller caller = s.caller();
    ExposureService exposure = c.core().exposure();
    Instant now = c.clock().instant();
    // after a refusal the defaults, so that a refused field is never written back into the page
    String kind = refusal.isPresent() ? "secret" : QueryParams.text(ctx, "kind");
    kind = kind.isEmpty() ? "secret" : kind;
    String wanted = refusal.isPresent() ? "" : QueryParams.text(ctx, "id");
    boolean reads = Scopes.allows(caller, c.http().api(), "GET /exposure");
    List<Exposure> ranked = reads ? exposure.ranked(caller, kind, ROWS) : List.of();
    Map<String, String> names = new HashMap<>();
    for (Exposure x : ranked) {
      names.computeIfAbsent(
          x.secretId(), id -> c.core().vault().find(id).map(Secret::name).orElse(id));
    }
    String k = kind;
    List<ExposurePage.Row> rows =
        ranked.stream().map(x -> row(x, names.get(x.secretId()), k, wanted)).toList();
    Optional<ExposurePage.Explanation> selected =
        ranked.stream()
            .filter(x -> x.id().equals(wanted))
            .findFirst()
            .map(x -> explain(x, names.get(x.secretId()), now));
    List<Threshold> set = reads ? exposure.thresholds(caller) : List.of();
    Frame frame = c.frame(s, "Exposure", "exposure");
    frame = refusal.map(frame::withRefusal).orElse(frame);
    if (refusal.isEmpty()) {
      String done = QueryParams.text(ctx, "set");
      frame =
          set.stream()
              .filter(t -> key(t).equals(done))
              .findFirst()
              .map(ExposureScreen::notice)
              .map(frame::withNotice)
              .orElse(frame);
    }
    ExposureSettings settings = exposure.settings();
    ExposurePage model =
        new ExposurePage(
            frame,
            kind,
            settings.enabled(),
            seconds(settings.window().toMillis() / 1000.0),
            link(kind, wanted),
            rows,
            selected,
            set.stream().map(ExposureScreen::set).toList(),
            new ExposurePage.Set("default", "*", number(settings.threshold()), settings.action()),
            Scopes.allows(caller, c.http().api(), "PUT /exposure/thresholds"),
            selected
                .filter(x -> x.kind().equals("secret"))
                .map(x -> new ExposurePage.Form("secret", x.secretId(), "", "rotate"))
                .orElse(ExposurePage.Form.EMPTY));
    c.templates().answer(ctx, refusal.map(Refusal::status).orElse(200), "exposure.jte", model);
  }

  /** The form's threshold, checked as {@code PUT /exposure/thresholds} checks its body. */
  static Threshold threshold(Context ctx) {
    String value = field(ctx, "threshold");
    if (value.isEmpty()) {
      throw new ValidationException("threshold", "required", "threshold is required");
    }
    double v;
    try {
      v = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new ValidationException(
          "threshold", "number", "threshold must be a number above 0 and at most 1");
    }
    String action = field(ctx, "action");
    return new Threshold(
        field(ctx, "target_kind"), field(ctx, "target"), v, action.isEmpty() ? "rotate" : action);
  }

  private static ExposurePage.Row row(Exposure x, String name, String kind, String wanted) {
    return new ExposurePage.Row(
        x.id(),
        x.secretId(),
        name,
        number(x.score()),
        signed(x.delta()),
        seconds(x.deltaWindowSeconds()),
        x.drift().callers(),
        x.drift().hosts(),
        x.drift().networks(),
        number(x.threshold()),
        x.thresholdSource(),
        x.score() >= x.threshold(),
        x.id().equals(wanted),
        link(kind, x.id()));
  }

  private static ExposurePage.Explanation explain(Exposure x, String name, Instant now) {
    return new ExposurePage.Explanation(
        x.kind(),
        x.id(),
        x.secretId(),
        name,
        number(x.score()),
        number(x.threshold()),
        x.thresholdSource(),
        Times.utc(x.at(), now),
        Times.iso(x.at()),
        x.factors().stream().map(ExposureScreen::term).toList());
  }

  private static ExposurePage.Term term(Factor f) {
    return new ExposurePage.Term(
        f.name(),
        number(f.weight()),
        number(f.value()),
        String.format(Locale.ROOT, "%.3f", f.contribution()),
        f.detail());
  }

  private static ExposurePage.Set set(Threshold t) {
    return new ExposurePage.Set(t.targetKind(), t.target(), number(t.threshold()), t.action());
  }

  /** This screen with {@code kind} shown and {@code id} selected (none when empty). */
  private static String link(String kind, String id) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("kind", kind);
    q.put("id", id);
    return PATH + "?" + PageLinks.query(q);
  }

  private static String key(Threshold t) {
    return t.targetKind() + ":" + t.target();
  }

  private static String notice(Threshold t) {
    return "exposure threshold set · "
        + t.targetKind()
        + " "
        + t.target()
        + " · threshold "
        + number(t.threshold())
        + " · action "
        + t.action();
  }

  /** {@code 0.82}. */
  static String number(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /** {@code +0.18}. */
  static String signed(double v) {
    return String.format(Locale.ROOT, "%+.2f", v);
  }

  /** {@code 9.0s}. */
  static String seconds(double v) {
    return String.format(Locale.ROOT, "%.1fs", v);
  }

  private static String field(Context ctx, String name) {
    String v = ctx.formParam(name);
    return v == null ? "" : v.trim();
  }
}
