package io.secretsapi.server.console;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.audit.AuditTrail;
import io.secretsapi.rotation.RotationJob;
import io.secretsapi.rotation.RotationState;
import io.secretsapi.rotation.Trigger;
import io.secretsapi.secret.SecretNotFoundException;
import io.secretsapi.secret.SecretSealedException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rotation queue at {@code /console/rotations}: the {@code ROT-} queue as {@code GET
 * /rotations} lists it, one rotation as {@code GET /rotations/{id}} reads it with its {@code
 * rotation.*} audit records ({@code GET /audit/trail}'s scope), and "Rotate now", which queues a
 * rotation through {@link io.secretsapi.rotation.RotationService#queue} as {@code POST
 * /secrets/{id}/rotate} does when it queues, with the session's caller and a reason. The leader's
 * loop moves the rotations; the page shows where each stands when it is read.
 */
final class RotationsScreen {
  static final String PATH = "/console/rotations";
  static final String LIST = "GET /rotations";
  static final String ONE = "GET /rotations/{id}";
  static final String ROTATE = "POST /secrets/{id}/rotate";
  static final String TRAIL = "GET /audit/trail";
  static final int PAGE = 50;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private RotationsScreen() {}

  static void register(Console c) {
    ConsoleHttp http = c.http();
    ConsoleHttp.OnRefusal again = (ctx, s, r) -> show(c, ctx, s, Optional.empty(), Optional.of(r));
    http.page(PATH, LIST, (ctx, s) -> show(c, ctx, s, Optional.empty(), Optional.empty()), again);
    http.page(
        PATH + "/{id}",
        ONE,
        (ctx, s) -> one(c, ctx, s, Optional.empty()),
        (ctx, s, r) -> oneOrList(c, ctx, s, r));
    http.action(PATH, ROTATE, (ctx, s) -> rotate(c, ctx, s), again);
  }

  /** The queue, with {@code detail} above it when one rotation is open. */
  static void show(
      Console c,
      Context ctx,
      Session s,
      Optional<RotationsPage.Detail> detail,
      Optional<Refusal> refusal) {
    Caller caller = s.caller();
    ApiTable api = c.http().api();
    // after a refusal no filter, so that a refused field is never written back into the page
    String state = refusal.isPresent() ? "" : QueryParams.text(ctx, "state");
    String secret = refusal.isPresent() ? "" : QueryParams.text(ctx, "secret_id");
    Optional<RotationState> st =
        state.isEmpty() ? Optional.empty() : Optional.of(RotationState.parse("state", state));
    List<RotationJob> jobs =
        Scopes.allows(caller, api, LIST)
            ? c.core().rotations().list(caller, opt(secret), st, PAGE)
            : List.of();
    Instant now = c.clock().instant();
    long inFlight = jobs.stream().filter(j -> j.state().inFlight()).count();
    Frame frame =
        c.frame(
            s, detail.map(d -> "Rotation " + d.row().id()).orElse("Rotation queue"), "rotations");
    if (refusal.isPresent()) {
      frame = frame.withRefusal(refusal.get());
    } else {
      frame = notice(ctx, detail).map(frame::withNotice).orElse(frame);
    }
    RotationsPage page =
        new RotationsPage(
            frame,
            state,
            secret,
            Arrays.stream(RotationState.values()).map(RotationState::wire).toList(),
            jobs.stream().map(j -> row(j, now)).toList(),
            "showing " + jobs.size() + " · " + inFlight + " in flight",
            Scopes.allows(caller, api, ROTATE),
            detail);
    c.templates().answer(ctx, refusal.map(Refusal::status).orElse(200), "rotations.jte", page);
  }

  static void one(Console c, Context ctx, Session s, Optional<Refusal> refusal) {
    Caller caller = s.caller();
    RotationJob j = c.core().rotations().get(caller, ctx.pathParam("id"));
    boolean readable = Scopes.allows(caller, c.http().api(), TRAIL);
    Instant now = c.clock().instant();
    List<RotationsPage.Step> steps = readable ? steps(c, caller, j, now) : List.of();
    RotationsPage.Detail d =
        new RotationsPage.Detail(
            row(j, now), io.secretsapi.Durations.format(j.grace()), j.attempts(), steps, readable);
    show(c, ctx, s, Optional.of(d), refusal);
  }

  /** After a refusal: the rotation with the refusal, else (no such rotation, say) the queue. */
  private static void oneOrList(Console c, Context ctx, Session s, Refusal r) throws Exception {
    try {
      one(c, ctx, s, Optional.of(r));
    } catch (RuntimeException unreadable) {
      show(c, ctx, s, Optional.empty(), Optional.of(r));
    }
  }

  /**
   * Queues a rotation of the form's {@code secret_id} for its {@code reason}; a secret that does
   * not exist, is not the key's or is sealed is refused naming {@code secret_id}.
   */
  static void rotate(Console c, Context ctx, Session s) {
    String secretId = field(ctx, "secret_id");
    String reason = field(ctx, "reason");
    if (secretId.isEmpty()) {
      throw new ValidationException("secret_id", "required", "secret_id is required");
    }
    if (reason.isEmpty()) {
      throw new ValidationException("reason", "required", "reason is required: say why it rotates");
    }
    Instant asked = c.clock().instant();
    RotationJob j;
    try {
      j =
          c.core()
              .rotations()
              .queue(s.caller(), secretId, Trigger.OPERATOR, reason, Optional.empty());
    } catch (SecretNotFoundException e) {
      throw new ValidationException(
          "secret_id", "exists", "secret " + shortId(secretId) + " does not exist");
    } catch (SecretSealedException e) {
      throw new ValidationException("secret_id", "active", e.getMessage());
    }
    // the queue answers the rotation already making the secret's value, if one is
    String what = j.createdAt().isBefore(asked) ? "running" : "queued";
    ctx.redirect(PATH + "/" + j.id() + "?" + what + "=1", HttpStatus.SEE_OTHER);
  }

  private static Optional<String> notice(Context ctx, Optional<RotationsPage.Detail> d) {
    if (d.isEmpty()) {
      return Optional.empty();
    }
    RotationsPage.Row r = d.get().row();
    if (ctx.queryParam("queued") != null) {
      return Optional.of("queued " + r.id() + " for " + r.secretId());
    } else if (ctx.queryParam("running") != null) {
      return Optional.of(
          r.id() + " was already making a new value of " + r.secretId() + ": one at a time");
    }
    return Optional.empty();
  }

  /** The rotation's {@code rotation.*} records (their subject is its id), oldest first. */
  private static List<RotationsPage.Step> steps(
      Console c, Caller caller, RotationJob j, Instant now) {
    AuditTrail.Filter f =
        new AuditTrail.Filter(
            Optional.empty(),
            Optional.empty(),
            Optional.of(j.id()),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            100);
    return c.core().trail().read(caller, f).stream()
        .map(x -> step(x, now))
        .filter(x -> !x.state().isEmpty())
        .toList();
  }

  private static RotationsPage.Step step(AuditTrail.Stored x, Instant now) {
    JsonNode r = JSON.readTree(x.record());
    String type = text(r, "type");
    String time = text(r, "time");
    Instant at = time.isEmpty() ? now : Instant.parse(time);
    return new RotationsPage.Step(
        AuditLog.ref(x.offset()),
        x.offset(),
        Times.utc(at, now),
        Times.iso(at),
        type.startsWith("rotation.") ? type.substring("rotation.".length()) : "",
        text(r, "actor"),
        text(r, "reason"));
  }

  static RotationsPage.Row row(RotationJob j, Instant now) {
    String from = j.fromVersion().map(v -> "v" + v).orElse("…");
    String to = j.toVersion().map(v -> "v" + v).orElse("…");
    return new RotationsPage.Row(
        j.id(),
        j.secretId(),
        j.trigger().wire(),
        j.rotator(),
        j.state().wire(),
        from + " → " + to,
        j.graceUntil().map(t -> Times.utc(t, now)).orElse(""),
        j.graceUntil().map(Times::iso).orElse(""),
        j.failure().orElse(""),
        j.reason(),
        j.requestedBy(),
        Times.utc(j.createdAt(), now),
        Times.iso(j.createdAt()));
  }

  private static String text(JsonNode r, String field) {
    JsonNode n = r.get(field);
    return n == null || n.isNull() ? "" : n.asString();
  }

  private static String field(Context ctx, String name) {
    String v = ctx.formParam(name);
    return v == null ? "" : v.trim();
  }

  private static String shortId(String id) {
    return id.length() > 40 ? "(malformed id)" : id;
  }

  private static Optional<String> opt(String s) {
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }
}
