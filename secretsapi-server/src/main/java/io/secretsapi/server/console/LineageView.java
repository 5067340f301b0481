package io.secretsapi.server.console;

import io.secretsapi.access.Caller;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.audit.AuditTrail;
import io.secretsapi.token.Grant;
import io.secretsapi.token.Lineage;
import io.secretsapi.token.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes the lineage page from what {@code GET /tokens/{id}}, {@code GET /tokens/{id}/lineage} and
 * {@code GET /audit/trail?token_id=} answer, through the same services with the session's caller.
 */
final class LineageView {
  /** The timeline reads the records of at most this many tokens of the tree, this many each. */
  static final int TIMELINE_TOKENS = 25;

  static final int TIMELINE_RECORDS = 100;

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Map<String, String> WORDS =
      Map.of(
          "token.issue", "scoped token issued",
          "token.derive", "token derived",
          "token.revoke", "revoked",
          "token.refuse", "token refused",
          "proxy.complete", "proxied call completed");

  private LineageView() {}

  static LineagePage of(
      Console c, Caller caller, String tokenId, Frame frame, Optional<String> notice) {
    Grant g = c.core().tokens().get(caller, tokenId);
    Lineage l = c.core().tokens().lineage(caller, tokenId);
    Instant now = c.clock().instant();
    List<Lineage.Node> all = new ArrayList<>();
    flatten(l.root(), all);
    LineagePage.Figures figures =
        new LineagePage.Figures(
            g.subject(),
            g.scope(),
            g.policy().id() + " · v" + g.policy().version() + " · " + g.policy().rule(),
            Times.utc(g.issuedAt(), now),
            Times.utc(g.expiresAt(), now),
            all.stream().mapToInt(Lineage.Node::depth).max().orElse(0),
            all.size() - 1,
            g.uses() + g.maxUses().map(m -> " of " + m).orElse(""),
            AuditLog.ref(g.auditOffset()));
    boolean canRevoke =
        Scopes.allows(caller, c.http().api(), TokensScreen.REVOKE) && g.status().equals("active");
    return new LineagePage(
        frame,
        g.id(),
        l.secretId(),
        l.secretStatus(),
        node(l.root(), tokenId, now),
        figures,
        timeline(c, caller, all),
        canRevoke,
        notice);
  }

  private static void flatten(Lineage.Node n, List<Lineage.Node> into) {
    into.add(n);
    n.children().forEach(k -> flatten(k, into));
  }

  private static LineagePage.Node node(Lineage.Node n, String viewed, Instant now) {
    return new LineagePage.Node(
        n.tokenId(),
        n.kind(),
        n.depth(),
        n.subject(),
        n.scope(),
        String.join(", ", Operation.wires(n.operations())),
        n.status(),
        ttl(n.status(), n.expiresAt(), now),
        Times.iso(n.expiresAt()),
        n.tokenId().equals(viewed),
        n.children().stream().map(k -> node(k, viewed, now)).toList());
  }

  /** {@code ttl 14m 32s} (as the documents show a TTL) while active; the status once not. */
  static String ttl(String status, Instant expiresAt, Instant now) {
    if (!status.equals("active")) {
      return status;
    }
    long s = Duration.between(now, expiresAt).toSeconds();
    if (s <= 0) {
      return "expired";
    }
    return "ttl "
        + (s >= 3600 ? s / 3600 + "h " : "")
        + (s >= 60 ? s % 3600 / 60 + "m " : "")
        + s % 60
        + "s";
  }

  private static List<LineagePage.Step> timeline(
      Console c, Caller caller, List<Lineage.Node> tree) {
    List<AuditTrail.Stored> records = new ArrayList<>();
    for (Lineage.Node n : tree.subList(0, Math.min(tree.size(), TIMELINE_TOKENS))) {
      records.addAll(
          c.core()
              .trail()
              .read(
                  caller,
                  new AuditTrail.Filter(
                      Optional.empty(),
                      Optional.of(n.tokenId()),
                      Optional.empty(),
                      Optional.empty(),
                      Optional.empty(),
                      Optional.empty(),
                      TIMELINE_RECORDS)));
    }
    records.sort(Comparator.comparingLong(AuditTrail.Stored::offset));
    List<LineagePage.Step> steps = new ArrayList<>();
    Instant first = null;
    for (AuditTrail.Stored s : records) {
      JsonNode r = JSON.readTree(s.record());
      Instant at = Instant.parse(text(r, "time").orElseThrow());
      first = first == null ? at : first;
      steps.add(step(s.offset(), r, Duration.between(first, at)));
    }
    return steps;
  }

  private static LineagePage.Step step(long offset, JsonNode r, Duration since) {
    String type = text(r, "type").orElse("");
    boolean refused = text(r, "decision").filter("deny"::equals).isPresent();
    List<String> detail = new ArrayList<>();
    text(r, "subject").ifPresent(x -> detail.add("for " + x));
    text(r, "scope").ifPresent(x -> detail.add("scope:" + x));
    text(r, "reason").filter(x -> !x.isEmpty()).ifPresent(detail::add);
    return new LineagePage.Step(
        String.format(Locale.ROOT, "+%.2fs", since.toMillis() / 1000.0),
        WORDS.getOrDefault(type, type) + (refused ? " · refused" : ""),
        type,
        AuditLog.ref(offset),
        text(r, "actor").orElse(""),
        text(r, "token_id"),
        String.join(" · ", detail),
        refused);
  }

  private static Optional<String> text(JsonNode r, String field) {
    JsonNode v = r.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asString());
  }
}
