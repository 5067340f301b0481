package io.secretsapi.incident;

import io.secretsapi.storage.Database;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An incident as its reader sees it: the stored timeline, with step 7 and the principals' states
 * read live from the replacement grants' uses, and the containment percentage.
 */
final class IncidentViews {
  private final Database db;
  private final Clock clock;

  IncidentViews(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  private record Read(
      List<Incident.Step> steps, List<IncidentStore.Principal> principals, long stillActive) {}

  Incident of(IncidentStore.Row r, List<Incident.Replaced> replacements) {
    return view(
        r,
        replacements,
        db.read(
            h ->
                new Read(
                    IncidentStore.steps(h, r.id()),
                    IncidentStore.principals(h, r.id()),
                    IncidentStore.derivativesStillActive(h, r))));
  }

  /**
   * The incident from the steps its playbook ran, read from nothing: the answer of an opening whose
   * store is too slow to be read back. Its principals are those the replacements name.
   */
  Incident ofSteps(
      IncidentStore.Row r, List<Incident.Replaced> replacements, List<Incident.Step> steps) {
    List<IncidentStore.Principal> ps = new ArrayList<>();
    for (Incident.Replaced x : replacements) {
      ps.add(new IncidentStore.Principal(x.principal(), x.scope(), 0, Optional.of(x.tokenId()), 0));
    }
    return view(r, replacements, new Read(steps, ps, 0));
  }

  private Incident view(IncidentStore.Row r, List<Incident.Replaced> replacements, Read read) {
    boolean open = r.state().equals("open");
    long replaced = read.principals().stream().filter(p -> p.replacementId().isPresent()).count();
    long reauth =
        read.principals().stream()
            .filter(p -> p.replacementId().isPresent() && p.uses() > 0)
            .count();
    List<Incident.Step> steps = new ArrayList<>();
    double done = 0;
    long end = 0;
    for (Incident.Step s : read.steps()) {
      Incident.Step shown = s;
      if (s.step() == 7 && open && s.state().equals("tracking")) {
        shown =
            new Incident.Step(
                7,
                s.name(),
                reauth == replaced ? "done" : "tracking",
                reauth + " / " + replaced + " principals re-authenticated with a replacement",
                reauth,
                s.atMillis(),
                s.tookMillis(),
                s.auditRef());
      }
      if (shown.step() == 7) {
        done += replaced == 0 ? (shown.state().equals("done") ? 1 : 0) : (double) reauth / replaced;
      } else if (shown.state().equals("done")) {
        done += 1;
      }
      if (shown.step() < 7) {
        end = Math.max(end, shown.atMillis() + shown.tookMillis());
      }
      steps.add(shown);
    }
    List<Incident.Affected> affected = new ArrayList<>();
    for (String u : r.upstreams()) {
      affected.add(
          new Incident.Affected("upstream", u, open ? "blocked" : "restored", 0, Optional.empty()));
    }
    for (IncidentStore.Principal p : read.principals()) {
      String state = p.replacementId().isEmpty() ? "revoked" : p.uses() > 0 ? "re-auth" : "pending";
      affected.add(
          new Incident.Affected("principal", p.principal(), state, p.revoked(), p.replacementId()));
    }
    return new Incident(
        r.id(),
        r.secretId(),
        r.tokenId(),
        r.reason(),
        r.state(),
        r.throughVersion(),
        r.openedBy(),
        r.openedAt(),
        r.closedBy(),
        r.closedAt(),
        r.closeNote(),
        (int) Math.round(100 * done / Incident.STEPS.size()),
        end,
        List.copyOf(steps),
        List.copyOf(affected),
        new Incident.Derivatives(r.derivatives(), read.stillActive()),
        List.copyOf(replacements));
  }
}
