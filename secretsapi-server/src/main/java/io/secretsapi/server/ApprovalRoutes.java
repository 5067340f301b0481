package io.secretsapi.server;

import static io.secretsapi.server.JsonSchema.array;
import static io.secretsapi.server.JsonSchema.constant;
import static io.secretsapi.server.JsonSchema.integer;
import static io.secretsapi.server.JsonSchema.items;
import static io.secretsapi.server.JsonSchema.object;
import static io.secretsapi.server.JsonSchema.oneOfStrings;
import static io.secretsapi.server.JsonSchema.ref;
import static io.secretsapi.server.JsonSchema.string;
import static io.secretsapi.server.JsonSchema.time;

import io.secretsapi.Durations;
import io.secretsapi.Page;
import io.secretsapi.Required;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Scope;
import io.secretsapi.approval.Approval;
import io.secretsapi.approval.Approvals;
import io.secretsapi.token.TokenService;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Human approval of the grants a policy rule holds back (design 0030). */
final class ApprovalRoutes {
  /** Body of {@code POST /approvals/{id}/approve} and {@code /deny}. */
  record Decide(@Required String reason) {}

  private ApprovalRoutes() {}

  static void register(Api api, Approvals approvals) {
    api.anyKey(
            "GET",
            "/approvals",
            "Approvals the caller may see, pending first: its own requests and those it may"
                + " decide (admin: all)")
        .query(
            "state",
            oneOfStrings("pending", "approved", "denied", "expired", "issued"),
            "only approvals in this state")
        .query("limit", integer(), "at most this many (1 to 500, default 50)")
        .query("cursor", string(), "the next_cursor of the page before, under the same state")
        .answers(
            items(ref("Approval"))
                .nul("next_cursor", string("the cursor of the next page; null on the last page")))
        .handle(
            (ctx, caller) -> {
              int limit = Bodies.query(ctx, "limit").map(ApprovalRoutes::limit).orElse(50);
              Page<Approval> page =
                  approvals.page(
                      caller, Bodies.query(ctx, "state"), limit, Bodies.query(ctx, "cursor"));
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("items", page.items().stream().map(ApprovalRoutes::json).toList());
              m.put("next_cursor", page.nextCursor().orElse(null));
              ctx.json(m);
            });
    api.anyKey(
            "GET",
            "/approvals/{id}",
            "One approval as it stands; with wait (such as 30s, at most 60s) the answer comes"
                + " when its state changes or the wait ends (long poll)")
        .query("wait", string("a duration such as 30s, at most 60s"), "long poll for this long")
        .answers(ref("Approval"))
        .handle(
            (ctx, caller) -> {
              Optional<String> wait = Bodies.query(ctx, "wait");
              String id = ctx.pathParam("id");
              if (wait.isEmpty()) {
                ctx.json(json(approvals.get(caller, id)));
                return;
              }
              Duration d = Durations.parse("wait", wait.get());
              var answer = approvals.await(caller, id, d);
              ctx.future(() -> answer.thenAccept(a -> ctx.json(json(a))));
            });
    api.route(
            "POST",
            "/approvals/{id}/approve",
            Scope.POLICIES_WRITE,
            "Approve a pending approval with a reason; only an approver the rule names, never"
                + " the requester. The requester then asks again with approval_id")
        .body(Decide.class)
        .answers(ref("Approval"))
        .handle(
            (ctx, caller) -> {
              Decide b = Bodies.read(ctx, Decide.class);
              ctx.json(
                  json(
                      approvals.approve(
                          caller,
                          ctx.pathParam("id"),
                          b.reason(),
                          Optional.of(RequestIds.of(ctx)))));
            });
    api.route(
            "POST",
            "/approvals/{id}/deny",
            Scope.POLICIES_WRITE,
            "Deny a pending approval with a reason; only an approver the rule names, never the"
                + " requester")
        .body(Decide.class)
        .answers(ref("Approval"))
        .handle(
            (ctx, caller) -> {
              Decide b = Bodies.read(ctx, Decide.class);
              ctx.json(
                  json(
                      approvals.deny(
                          caller,
                          ctx.pathParam("id"),
                          b.reason(),
                          Optional.of(RequestIds.of(ctx)))));
            });
  }

  private static int limit(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new ValidationException("limit", "integer", "limit must be an integer");
    }
  }

  /** The {@code 202} answer of {@code POST /tokens/issue} when a person must approve. */
  static Map<String, Object> pending(Approval a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "approval_pending");
    m.put("approval_id", a.id());
    m.put("expires_at", a.expiresAt().toString());
    m.put("approvers", a.approvers());
    m.put("policy_ref", TokenService.policyMap(a.policy()));
    return m;
  }

  /** The schema of {@link #pending}. */
  static Map<String, Object> pendingSchema() {
    return object()
        .req("status", constant("approval_pending"))
        .req("approval_id", string("apr_ and 16 characters"))
        .req("expires_at", time())
        .req("approvers", array(string()))
        .req("policy_ref", ref("PolicyRef"))
        .build();
  }

  static Map<String, Object> json(Approval a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", a.id());
    m.put("state", a.state());
    m.put("requester", a.requester());
    m.put("subject", a.subject());
    m.put("secret_id", a.secretId());
    m.put("scope", a.scope());
    m.put("ttl", Durations.format(Duration.ofSeconds(a.ttlSeconds())));
    m.put("operations", a.operations());
    m.put("environment", a.environment());
    m.put("policy_ref", TokenService.policyMap(a.policy()));
    m.put("approvers", a.approvers());
    m.put("decided_by", a.decidedBy().orElse(null));
    m.put("reason", a.reason().orElse(null));
    m.put("token_id", a.tokenId().orElse(null));
    m.put("created_at", a.createdAt().toString());
    m.put("expires_at", a.expiresAt().toString());
    m.put("decided_at", a.decidedAt().map(Object::toString).orElse(null));
    return m;
  }

  /** The {@code Approval} schema of the OpenAPI document. */
  static Map<String, Object> schema() {
    return object()
        .req("id", string("apr_ and 16 characters"))
        .req("state", oneOfStrings("pending", "approved", "denied", "expired", "issued"))
        .req("requester", string())
        .req("subject", string())
        .req("secret_id", string())
        .req("scope", string())
        .req("ttl", string())
        .req("operations", array(string()))
        .req("environment", string())
        .req("policy_ref", ref("PolicyRef"))
        .req("approvers", array(string()))
        .nul("decided_by", string())
        .nul("reason", string())
        .nul("token_id", string())
        .req("created_at", time())
        .req("expires_at", time())
        .nul("decided_at", time())
        .build();
  }
}
