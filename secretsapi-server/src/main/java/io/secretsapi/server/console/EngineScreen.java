package io.secretsapi.server.console;

import io.javalin.http.Context;
import io.secretsapi.Durations;
import io.secretsapi.access.Caller;
import io.secretsapi.pkg.Credential;
import io.secretsapi.pkg.Engine;
import io.secretsapi.rotation.RotationSettings;
import io.secretsapi.secret.Secret;
import io.secretsapi.secret.Validation;
import io.secretsapi.secret.ValidationStore;
import io.secretsapi.token.Operation;
import io.secretsapi.token.SecretScope;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An engine's credential vault at {@code /console/engines/{id}}: what {@code GET
 * /engines/{id}/credentials} answers, through the same {@code EngineService.credentials}, and the
 * selected credential's detail. Its workflow notes are derived from the broker's state: the last
 * validation (as {@code GET /secrets/{id}/validation} reads it), the rotation settings (as {@code
 * GET /secrets/{id}/rotation}) and the scope the package uses the secret under. Masked values and
 * fingerprints only; the console has no reveal.
 */
final class EngineScreen {
  static final String PATH = "/console/engines/{id}";
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("MMMM d, yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);

  private EngineScreen() {}

  static void register(Console c) {
    c.http()
        .page(
            PATH,
            "GET /engines/{id}/credentials",
            (ctx, s) -> show(c, ctx, s),
            (ctx, s, r) -> ErrorScreen.answer(c, ctx, s, r));
  }

  static void show(Console c, Context ctx, Session s) {
    Caller caller = s.caller();
    Instant now = c.clock().instant();
    String id = ctx.pathParam("id");
    Engine e = c.core().engines().get(caller, id);
    List<Credential> vault = c.core().engines().credentials(caller, id);
    String secret = QueryParams.text(ctx, "secret");
    String scope = QueryParams.text(ctx, "scope");
    Optional<Credential> chosen =
        vault.stream()
            .filter(x -> x.secretId().equals(secret) && x.scope().equals(scope))
            .findFirst()
            .or(() -> vault.stream().findFirst());
    List<EnginePage.Row> rows =
        vault.stream().map(x -> row(e, x, chosen.filter(x::equals).isPresent(), now)).toList();
    Map<String, String> names = new LinkedHashMap<>();
    c.core().packages().list(caller).forEach(p -> names.put(p.id(), p.name()));
    EnginePage model =
        new EnginePage(
            c.frame(s, "Credential vault · " + e.name(), "packages"),
            e.id(),
            e.name(),
            e.plan(),
            PackagesScreen.placement(e),
            e.release(),
            rows,
            chosen.map(x -> detail(c, caller, x, names, now)));
    c.templates().answer(ctx, 200, "engine.jte", model);
  }

  private static EnginePage.Row row(Engine e, Credential x, boolean selected, Instant now) {
    return new EnginePage.Row(
        x.secretId(),
        x.name(),
        e.name(),
        x.provider(),
        x.scope(),
        x.status(),
        x.nextRotation().map(DAY::format).orElse("not scheduled"),
        validation(x, now),
        selected,
        "/console/engines/" + e.id() + "?" + PageLinks.query(selection(x)));
  }

  private static Map<String, String> selection(Credential x) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("secret", x.secretId());
    q.put("scope", x.scope());
    return q;
  }

  /** {@code Validated 2h ago}, {@code Validation failed 18m ago}, {@code Not validated}. */
  private static String validation(Credential x, Instant now) {
    if (x.validatedAt().isEmpty()) {
      return "Not validated";
    }
    String ago = Times.ago(x.validatedAt(), now);
    return x.validation().startsWith("Validation failed")
        ? "Validation failed " + ago
        : "Validated " + ago;
  }

  private static EnginePage.Detail detail(
      Console c, Caller caller, Credential x, Map<String, String> names, Instant now) {
    Optional<Secret> secret = PackagesScreen.secret(c, caller, x.secretId());
    List<String> bundledBy = x.packages().stream().map(p -> names.getOrDefault(p, p)).toList();
    List<EnginePage.Note> notes = new ArrayList<>();
    notes.add(validationNote(c, x, now));
    try {
      notes.add(rotationNote(c, caller, x, now));
      notes.add(scopeNote(c, caller, x, bundledBy));
    } catch (io.secretsapi.NotFoundException gone) {
      // removed between the vault's read and this one: the rows above still say what it was
      notes.add(note("The secret is gone", "It no longer exists in the vault.", ""));
    }
    for (int i = 0; i < notes.size(); i++) {
      EnginePage.Note n = notes.get(i);
      notes.set(
          i,
          new EnginePage.Note(
              String.format(Locale.ROOT, "%02d", i + 1), n.title(), n.detail(), n.next()));
    }
    return new EnginePage.Detail(
        x.secretId(),
        x.name(),
        x.provider(),
        x.scope(),
        x.status(),
        validation(x, now),
        x.nextRotation().map(DAY::format).orElse("not scheduled"),
        x.masked(),
        x.fingerprint(),
        secret.map(y -> DAY.format(y.createdAt())).orElse("unknown"),
        String.join(", ", bundledBy),
        List.copyOf(notes));
  }

  /** The last validation, read as {@code GET /secrets/{id}/validation} reads it. */
  private static EnginePage.Note validationNote(Console c, Credential x, Instant now) {
    Optional<Validation> v = ValidationStore.find(c.core().db(), x.secretId());
    if (v.isEmpty()) {
      return note(
          "Not validated yet",
          "No provider probe has run with this credential.",
          "Its packages stay in Review until a probe passes: validate it from Credential posture"
              + " or with POST /secrets/"
              + x.secretId()
              + "/validate.");
    }
    Validation val = v.get();
    String probe =
        "probe "
            + val.url().orElse("preset " + val.preset())
            + " at "
            + Times.utc(val.checkedAt(), now);
    String schedule =
        val.every().isZero()
            ? "Probed on demand only."
            : "Probed every "
                + Durations.format(val.every())
                + val.nextCheckAt().map(n -> ", next at " + Times.utc(n, now)).orElse("")
                + ".";
    return switch (x.status()) {
      case "Validation failed" ->
          note(
              "Validation failed",
              val.reason() + " (" + probe + ").",
              "The packages that bundle it are in Review until a probe passes. " + schedule);
      case "Rotation due" -> note("Rotation due", val.reason() + " (" + probe + ").", schedule);
      case "Validation stale" ->
          note(
              "Validation stale",
              "The last result ("
                  + val.status()
                  + ", "
                  + probe
                  + ") is older than two of its"
                  + " periods.",
              "Its packages are in Review until the scheduled probe answers again.");
      default ->
          note(
              val.status().equals(Validation.HEALTHY)
                  ? "Provider connectivity validated"
                  : "Validation " + val.status(),
              val.reason() + " (" + probe + ").",
              schedule);
    };
  }

  /** The rotation settings, as {@code GET /secrets/{id}/rotation} reads them. */
  private static EnginePage.Note rotationNote(Console c, Caller caller, Credential x, Instant now) {
    Optional<RotationSettings> r = c.core().rotations().settings(caller, x.secretId());
    if (r.isEmpty()) {
      return note(
          "No rotation schedule",
          "The secret has no rotation settings: its value changes only when an operator rotates"
              + " it.",
          "Set a schedule with PUT /secrets/" + x.secretId() + "/rotation.");
    }
    RotationSettings set = r.get();
    String how =
        "Rotator "
            + set.rotator()
            + set.cron().map(cr -> ", cron " + cr).orElse("")
            + (set.every().isZero() ? "" : ", every " + Durations.format(set.every()))
            + ", grace "
            + Durations.format(set.grace())
            + ".";
    if (set.nextDueAt().isEmpty()) {
      return note("Rotation on request", how, "No rotation is scheduled.");
    }
    Instant due = set.nextDueAt().get();
    if (!due.isAfter(now)) {
      return note(
          "Rotation due",
          how + " It was due on " + DAY.format(due) + ".",
          "See the Rotation queue for its rotation.");
    }
    long days = Duration.between(now, due).toDays();
    return note(
        "Rotation window scheduled",
        how + " Next rotation on " + DAY.format(due) + " (in " + days + " days).",
        "No immediate action required.");
  }

  /** The scope the packages use the secret under, as {@code GET /secrets/{id}/scopes} lists it. */
  private static EnginePage.Note scopeNote(
      Console c, Caller caller, Credential x, List<String> bundledBy) {
    Optional<SecretScope> sc =
        c.core().scopes().list(caller, x.secretId()).stream()
            .filter(y -> y.name().equals(x.scope()))
            .findFirst();
    String by = "Bundled by " + String.join(", ", bundledBy) + ".";
    if (sc.isEmpty()) {
      return note(
          "Scope " + x.scope() + " is no longer defined",
          "The secret has no scope of that name any more: issuance under it is refused.",
          by);
    }
    SecretScope s = sc.get();
    String hosts =
        s.upstream().hosts().isEmpty()
            ? "no upstream host"
            : String.join(", ", s.upstream().hosts());
    return note(
        "Scope " + s.name() + ": " + String.join(", ", Operation.wires(s.operations())),
        "Reaches " + hosts + "; tokens live at most " + Durations.format(s.maxTtl()) + ".",
        by + " The engine's principals may issue exactly this scope of the secret.");
  }

  private static EnginePage.Note note(String title, String detail, String next) {
    return new EnginePage.Note("", title, detail, next);
  }
}
