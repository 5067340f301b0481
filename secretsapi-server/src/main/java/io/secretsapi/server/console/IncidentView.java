package io.secretsapi.server.console;

import io.secretsapi.access.Caller;
import io.secretsapi.incident.Incident;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Builds an incident's page from {@link Incident}: the documents' figures ({@code Affected 7
 * services}, {@code Derivatives 3 · revoked 2 / pending 1}, {@code containment 62%}, {@code Replay
 * AU-55182}), the affected services, and the timeline with times from the opening ({@code
 * t+0.42s}).
 */
final class IncidentView {
  private IncidentView() {}

  static IncidentPage of(Console c, Caller caller, Incident in, Frame frame, boolean canContain) {
    Instant now = c.clock().instant();
    List<IncidentPage.Affected> affected =
        in.affected().stream().map(IncidentView::affected).toList();
    long isolated =
        in.affected().stream()
            .filter(a -> a.state().equals("blocked") || a.state().equals("revoked"))
            .count();
    String replay =
        in.timeline().stream()
            .filter(s -> s.step() == 5)
            .findFirst()
            .flatMap(Incident.Step::auditRef)
            .orElse("");
    boolean open = in.state().equals("open");
    return new IncidentPage(
        frame,
        in.id(),
        in.secretId(),
        in.tokenId().orElse(""),
        in.reason(),
        in.state(),
        in.throughVersion(),
        in.openedBy(),
        Times.utc(in.openedAt(), now),
        Times.iso(in.openedAt()),
        in.closedBy().orElse(""),
        in.closedAt().map(t -> Times.utc(t, now)).orElse(""),
        in.closeNote().orElse(""),
        in.containment(),
        affected.size(),
        isolated,
        in.derivatives().revoked() + in.derivatives().pending(),
        in.derivatives().revoked(),
        in.derivatives().pending(),
        replay,
        in.timeline().size() + " hops · " + seconds(in.propagationMillis(), 1),
        in.timeline().stream().map(IncidentView::step).toList(),
        affected,
        in.replacements().stream()
            .map(
                r ->
                    new IncidentPage.Replacement(
                        r.principal(), r.scope(), r.tokenId(), r.token(), r.expiresIn()))
            .toList(),
        Scopes.allows(caller, c.http().api(), "GET /audit/trail"),
        open && canContain);
  }

  private static IncidentPage.Step step(Incident.Step s) {
    String ref = s.auditRef().orElse("");
    return new IncidentPage.Step(
        String.format(Locale.ROOT, "%02d", s.step()),
        s.name(),
        s.state(),
        s.detail(),
        "t+" + seconds(s.atMillis(), 2),
        s.tookMillis() + " ms",
        ref,
        offset(ref));
  }

  private static IncidentPage.Affected affected(Incident.Affected a) {
    String what =
        a.kind().equals("upstream")
            ? "upstream"
            : "principal · "
                + a.grantsRevoked()
                + (a.grantsRevoked() == 1 ? " grant" : " grants")
                + " revoked"
                + a.replacementId().map(r -> " · replacement " + r).orElse("");
    return new IncidentPage.Affected(a.name(), a.kind(), what, a.state());
  }

  /** {@code 0.42s}, {@code 4.2s}: milliseconds as seconds with {@code digits} decimals. */
  static String seconds(long millis, int digits) {
    return String.format(Locale.ROOT, "%." + digits + "fs", millis / 1000.0);
  }

  /** The offset of {@code AU-94182}; 0 for anything else. */
  static long offset(String auditRef) {
    if (!auditRef.matches("AU-\\d{1,18}")) {
      return 0;
    }
    return Long.parseLong(auditRef.substring(3));
  }
}
