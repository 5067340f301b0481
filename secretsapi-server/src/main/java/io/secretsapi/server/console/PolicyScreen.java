package io.secretsapi.server.console;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.policy.PolicyRef;
import io.secretsapi.policy.PolicyService;
import io.secretsapi.policy.PolicyVersion;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The policies screen (screen 7) at {@code /console/policies}: what {@code GET /policies}, {@code
 * GET /policies/{id}/versions} and {@code GET /policies/{id}/diff} read, the dry run of {@code POST
 * /policies/test} and the write of {@code PUT /policies/{id}}, through the same {@link
 * PolicyService} and scopes (a key without {@code admin} writes only sets its account wrote, for
 * its own secrets, as through the API).
 */
final class PolicyScreen {
  static final String PATH = "/console/policies";

  private PolicyScreen() {}

  static void register(Console c) {
    ConsoleHttp http = c.http();
    ConsoleHttp.OnRefusal again =
        (ctx, s, r) -> show(c, ctx, s, PolicyPage.Trial.EMPTY, Optional.empty(), Optional.of(r));
    http.page(
        PATH,
        "GET /policies",
        (ctx, s) -> show(c, ctx, s, PolicyPage.Trial.EMPTY, Optional.empty(), Optional.empty()),
        again);
    http.action(
        PATH + "/test",
        "POST /policies/test",
        (ctx, s) -> {
          PolicyPage.Trial trial = PolicyForms.trial(ctx);
          PolicyPage.Answer answer = PolicyForms.dryRun(c, trial);
          show(c, ctx, s, trial, Optional.of(answer), Optional.empty());
        },
        again);
    http.action(
        PATH + "/write",
        "PUT /policies/{id}",
        (ctx, s) -> {
          PolicyVersion v = PolicyForms.write(c, ctx, s);
          ctx.redirect(
              PATH
                  + "?id="
                  + URLEncoder.encode(v.id(), StandardCharsets.UTF_8)
                  + "&written="
                  + v.version(),
              HttpStatus.SEE_OTHER);
        },
        again);
  }

  static void show(
      Console c,
      Context ctx,
      Session s,
      PolicyPage.Trial trial,
      Optional<PolicyPage.Answer> answer,
      Optional<Refusal> refusal) {
    Caller caller = s.caller();
    ApiTable api = c.http().api();
    PolicyService policies = c.core().policies();
    Instant now = c.clock().instant();
    Frame frame = c.frame(s, "Policies", "policies");
    frame = refusal.map(frame::withRefusal).orElse(frame);
    List<PolicyVersion> current =
        Scopes.allows(caller, api, "GET /policies") ? policies.list() : List.of();
    List<PolicyPage.Set> sets =
        current.stream()
            .map(
                v ->
                    new PolicyPage.Set(
                        v.id(),
                        v.version(),
                        v.createdBy(),
                        Times.ago(Optional.of(v.createdAt()), now)))
            .toList();
    // after a refusal the first set, so that a refused field is never written back into the page
    String wanted = refusal.isPresent() ? null : ctx.queryParam("id");
    Optional<String> selected =
        current.stream()
            .map(PolicyVersion::id)
            .filter(id -> wanted == null || id.equals(wanted))
            .findFirst();
    if (refusal.isEmpty() && ctx.queryParam("written") != null && selected.isPresent()) {
      frame = frame.withNotice("wrote " + selected.get() + " · v." + ctx.queryParam("written"));
    }
    List<PolicyPage.Version> versions =
        selected
            .map(id -> policies.versions(id).stream().map(v -> version(v, now)).toList())
            .orElse(List.of());
    int newest = versions.isEmpty() ? 0 : versions.get(0).version();
    int to = refusal.isPresent() ? newest : number(ctx, "to", newest);
    int from = refusal.isPresent() ? to - 1 : number(ctx, "from", to - 1);
    List<PolicyPage.Line> diff =
        selected.isPresent() && from >= 1 && to >= 1 && from != to
            ? policies.diff(selected.get(), from, to).stream().map(PolicyScreen::line).toList()
            : List.of();
    int showV = refusal.isPresent() ? newest : number(ctx, "v", to);
    Optional<PolicyPage.Version> shown =
        versions.stream().filter(v -> v.version() == showV).findFirst();
    PolicyPage model =
        new PolicyPage(
            frame,
            sets,
            selected,
            versions,
            shown,
            from,
            to,
            diff,
            Scopes.allows(caller, api, "POST /policies/test"),
            Scopes.allows(caller, api, "PUT /policies/{id}"),
            trial,
            answer);
    c.templates().answer(ctx, refusal.map(Refusal::status).orElse(200), "policies.jte", model);
  }

  static String ref(PolicyRef r) {
    return r.id() + " · v." + r.version() + " · " + r.rule();
  }

  private static PolicyPage.Version version(PolicyVersion v, Instant now) {
    return new PolicyPage.Version(
        v.version(),
        v.createdBy(),
        Times.utc(v.createdAt(), now),
        Times.iso(v.createdAt()),
        v.document());
  }

  private static PolicyPage.Line line(String l) {
    String kind = l.startsWith("+") ? "add" : l.startsWith("-") ? "del" : "same";
    return new PolicyPage.Line(kind, l);
  }

  private static int number(Context ctx, String name, int otherwise) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) {
      return otherwise;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new ValidationException(name, "integer", name + " must be a version number");
    }
  }
}
