package io.secretsapi.server.console;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.secretsapi.Durations;
import io.secretsapi.Page;
import io.secretsapi.access.Caller;
import io.secretsapi.approval.Approval;
import io.secretsapi.approval.Approvals;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.audit.AuditTrail;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pending approvals at {@code /console/approvals} (design 0030): the {@code apr_} approvals the key
 * may see as {@code GET /approvals} lists them, one approval as {@code GET /approvals/{id}} reads
 * it with its {@code approval.*} audit records ({@code GET /audit/trail}'s scope), and the Approve
 * and Deny forms of {@code POST /approvals/{id}/approve} and {@code /deny}, which call {@link
 * io.secretsapi.approval.Approvals} with the session's caller as those routes do. The list polls
 * itself, so that an approver sees a new request without reloading.
 */
final class ApprovalsScreen {
  static final String PATH = "/console/approvals";
  static final String LIST = "GET /approvals";
  static final String ONE = "GET /approvals/{id}";
  static final String APPROVE = "POST /approvals/{id}/approve";
  static final String DENY = "POST /approvals/{id}/deny";
  static final String TRAIL = "GET /audit/trail";
  static final int PAGE = 50;
  private static final List<String> STEPS =
      List.of(
          "approval.request",
          "approval.approve",
          "approval.deny",
          "approval.expired",
          "approval.issue");
  private static final int TRAIL_PAGES = 10;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ApprovalsScreen() {}

  static void register(Console c) {
    ConsoleHttp http = c.http();
    ConsoleHttp.OnRefusal again = (ctx, s, r) -> show(c, ctx, s, Optional.empty(), Optional.of(r));
    http.page(PATH, LIST, (ctx, s) -> show(c, ctx, s, Optional.empty(), Optional.empty()), again);
    http.page(
        PATH + "/{id}",
        ONE,
        (ctx, s) -> one(c, ctx, s, Optional.empty()),
        (ctx, s, r) -> oneOrList(c, ctx, s, r));
    http.action(
        PATH + "/{id}/approve",
        APPROVE,
        (ctx, s) -> decide(c, ctx, s, true),
        (ctx, s, r) -> oneOrList(c, ctx, s, r));
    http.action(
        PATH + "/{id}/deny",
        DENY,
        (ctx, s) -> decide(c, ctx, s, false),
        (ctx, s, r) -> oneOrList(c, ctx, s, r));
  }

  /** The list, with {@code detail} above it when one approval is open. */
  static void show(
      Console c,
      Context ctx,
      Session s,
      Optional<ApprovalsPage.Detail> detail,
      Optional<Refusal> refusal) {
    Caller caller = s.caller();
    // after a refusal no filter, so that a refused field is never written back into the page
    String state = refusal.isPresent() ? "" : QueryParams.text(ctx, "state");
    List<Approval> found =
        Scopes.allows(caller, c.http().api(), LIST)
            ? c.core().approvals().list(caller, opt(state), PAGE)
            : List.of();
    Instant now = c.clock().instant();
    long pending = found.stream().filter(a -> a.state().equals("pending")).count();
    Frame frame =
        c.frame(
            s,
            detail.map(d -> "Approval " + d.row().id()).orElse("Pending approvals"),
            "approvals");
    if (refusal.isPresent()) {
      frame = frame.withRefusal(refusal.get());
    } else {
      frame = notice(ctx, detail).map(frame::withNotice).orElse(frame);
    }
    String self =
        state.isEmpty()
            ? PATH
            : PATH + "?state=" + URLEncoder.encode(state, StandardCharsets.UTF_8);
    ApprovalsPage page =
        new ApprovalsPage(
            frame,
            state,
            Approval.STATES,
            found.stream().map(a -> row(a, now)).toList(),
            "showing " + found.size() + " · " + pending + " pending",
            self,
            detail);
    c.templates().answer(ctx, refusal.map(Refusal::status).orElse(200), "approvals.jte", page);
  }

  static void one(Console c, Context ctx, Session s, Optional<Refusal> refusal) {
    Caller caller = s.caller();
    ApiTable api = c.http().api();
    Approval a = c.core().approvals().get(caller, ctx.pathParam("id"));
    Instant now = c.clock().instant();
    boolean readable = Scopes.allows(caller, api, TRAIL);
    boolean pending = a.state().equals("pending");
    String why = pending ? whyNot(caller, api, a) : "";
    ApprovalsPage.Detail d =
        new ApprovalsPage.Detail(
            row(a, now),
            String.join(", ", a.operations()),
            pending && why.isEmpty(),
            why,
            Scopes.allows(caller, api, "GET /policies"),
            a.decidedAt().map(t -> Times.utc(t, now)).orElse(""),
            a.decidedAt().map(Times::iso).orElse(""),
            a.tokenId().orElse(""),
            readable ? steps(c, caller, a, now) : List.of(),
            readable);
    show(c, ctx, s, Optional.of(d), refusal);
  }

  /** After a refusal: the approval with the refusal, else (no such approval, say) the list. */
  private static void oneOrList(Console c, Context ctx, Session s, Refusal r) {
    try {
      one(c, ctx, s, Optional.of(r));
    } catch (RuntimeException unreadable) {
      show(c, ctx, s, Optional.empty(), Optional.of(r));
    }
  }

  /**
   * Approves or denies the approval of the path with the form's {@code reason}, exactly as the API
   * route does: {@link io.secretsapi.approval.Approvals} refuses (and records) a self-approval, a
   * key the rule does not name, a decided or expired approval and an empty reason.
   */
  static void decide(Console c, Context ctx, Session s, boolean approve) {
    String id = ctx.pathParam("id");
    String reason = ctx.formParam("reason");
    Optional<String> requestId = Optional.of(c.http().api().requestId(ctx));
    Approval a =
        approve
            ? c.core().approvals().approve(s.caller(), id, reason, requestId)
            : c.core().approvals().deny(s.caller(), id, reason, requestId);
    ctx.redirect(
        PATH + "/" + URLEncoder.encode(a.id(), StandardCharsets.UTF_8) + "?decided=" + a.state(),
        HttpStatus.SEE_OTHER);
  }

  /**
   * Why the key may not decide this pending approval, as {@link
   * io.secretsapi.approval.Approvals#approve} would refuse it; empty when it may.
   */
  private static String whyNot(Caller caller, ApiTable api, Approval a) {
    if (Approvals.isOwn(caller, a)) {
      return "This is a request of your own account: nobody decides their own request.";
    }
    if (!Scopes.allows(caller, api, APPROVE)) {
      return "Deciding needs policies:write.";
    }
    if (!Approvals.isApprover(caller, a)) {
      return "Only an approver the rule names decides: " + String.join(", ", a.approvers()) + ".";
    }
    return "";
  }

  private static Optional<String> notice(Context ctx, Optional<ApprovalsPage.Detail> d) {
    if (d.isEmpty() || ctx.queryParam("decided") == null) {
      return Optional.empty();
    }
    ApprovalsPage.Row r = d.get().row();
    return switch (r.state()) {
      case "approved" ->
          Optional.of(
              "approved "
                  + r.id()
                  + ": "
                  + r.requester()
                  + " gets its token by asking again with approval_id "
                  + r.id());
      case "denied" -> Optional.of("denied " + r.id() + ": it issues no token");
      default -> Optional.empty();
    };
  }

  /**
   * The approval's {@code approval.*} records the key may read (their reason names the approval),
   * oldest first. Each type is read through the audit trail with the approval's secret, at most
   * {@link #TRAIL_PAGES} pages of it.
   */
  private static List<ApprovalsPage.Step> steps(Console c, Caller caller, Approval a, Instant now) {
    String mark = "approval " + a.id() + " ";
    List<AuditTrail.Stored> mine = new ArrayList<>();
    for (String type : STEPS) {
      AuditTrail.Filter f =
          new AuditTrail.Filter(
              Optional.of(a.secretId()),
              Optional.empty(),
              Optional.empty(),
              Optional.of(type),
              Optional.empty(),
              Optional.empty(),
              500);
      for (int i = 0; i < TRAIL_PAGES; i++) {
        Page<AuditTrail.Stored> p = c.core().trail().page(caller, f);
        p.items().stream().filter(x -> reason(x).startsWith(mark)).forEach(mine::add);
        if (p.nextCursor().isEmpty()) {
          break;
        }
        f = f.after(p.nextCursor().get());
      }
    }
    return mine.stream()
        .sorted(Comparator.comparingLong(AuditTrail.Stored::offset))
        .map(x -> step(x, now))
        .toList();
  }

  private static String reason(AuditTrail.Stored x) {
    return text(JSON.readTree(x.record()), "reason");
  }

  private static ApprovalsPage.Step step(AuditTrail.Stored x, Instant now) {
    JsonNode r = JSON.readTree(x.record());
    String time = text(r, "time");
    Instant at = time.isEmpty() ? now : Instant.parse(time);
    return new ApprovalsPage.Step(
        AuditLog.ref(x.offset()),
        x.offset(),
        Times.utc(at, now),
        Times.iso(at),
        text(r, "type").substring("approval.".length()),
        text(r, "decision"),
        text(r, "actor"),
        text(r, "reason"));
  }

  static ApprovalsPage.Row row(Approval a, Instant now) {
    return new ApprovalsPage.Row(
        a.id(),
        a.requester(),
        a.accountId(),
        a.subject().equals(a.requester()) ? "" : a.subject(),
        a.secretId(),
        a.scope(),
        Durations.format(Duration.ofSeconds(a.ttlSeconds())),
        a.environment(),
        a.policy().id() + " v" + a.policy().version() + " · " + a.policy().rule(),
        a.policy().id(),
        String.join(", ", a.approvers()),
        a.state(),
        Times.utc(a.createdAt(), now),
        Times.iso(a.createdAt()),
        decidedForGood(a) ? "" : relative(a.expiresAt(), now),
        Times.iso(a.expiresAt()),
        a.decidedBy().orElse(""),
        a.reason().orElse(""));
  }

  /** Denied or issued: when it would have expired no longer matters. */
  private static boolean decidedForGood(Approval a) {
    return a.state().equals("denied") || a.state().equals("issued");
  }

  /** {@code in 12m}, {@code in 40s}, {@code in 2h}; {@code 3m ago} once past. */
  static String relative(Instant t, Instant now) {
    long s = Duration.between(now, t).toSeconds();
    if (s < 0) {
      return Times.ago(Optional.of(t), now);
    } else if (s < 60) {
      return "in " + s + "s";
    } else if (s < 3600) {
      return "in " + s / 60 + "m";
    } else if (s < 86_400) {
      return "in " + s / 3600 + "h";
    }
    return "in " + s / 86_400 + "d";
  }

  private static String text(JsonNode r, String field) {
    JsonNode n = r.get(field);
    return n == null || n.isNull() ? "" : n.asString();
  }

  private static Optional<String> opt(String s) {
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }
}
