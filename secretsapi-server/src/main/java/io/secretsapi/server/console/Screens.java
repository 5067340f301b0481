package io.secretsapi.server.console;

import io.secretsapi.access.Caller;
import java.util.List;

/**
 * Every screen of the console, in navigation order. Adding a screen is one line here, naming its
 * own {@code XxxScreen} class, and that class's files (docs/design/0022-console.md).
 */
final class Screens {
  static final List<Screen> ALL =
      List.of(
          new Screen(
              "vault", "Secrets vault", VaultScreen.PATH, "GET /secrets", VaultScreen::register),
          new Screen(
              "events",
              "Live events",
              "/console/events",
              "GET /access/events",
              EventsScreen::register),
          new Screen(
              "tokens",
              "Trace and lineage",
              "/console/tokens",
              "GET /tokens",
              TokensScreen::register),
          new Screen(
              "audit", "Audit replay", "/console/audit", "GET /audit/trail", AuditScreen::register),
          new Screen("keys", "API keys", "/console/keys", "GET /api-keys", KeysScreen::register),
          new Screen(
              "policies", "Policies", "/console/policies", "GET /policies", PolicyScreen::register),
          new Screen(
              "posture",
              "Credential posture",
              "/console/posture",
              "GET /secrets",
              PostureScreen::register),
          new Screen("map", "Architecture map", "/console/map", "GET /tokens", MapScreen::register),
          new Screen(
              "rotations",
              "Rotation queue",
              RotationsScreen.PATH,
              RotationsScreen.LIST,
              RotationsScreen::register),
          new Screen(
              "incidents",
              "Incidents",
              IncidentsScreen.PATH,
              IncidentsScreen.LIST,
              IncidentsScreen::register),
          new Screen(
              "approvals",
              "Pending approvals",
              ApprovalsScreen.PATH,
              ApprovalsScreen.LIST,
              ApprovalsScreen::register),
          new Screen(
              "topology",
              "Resource topology",
              TopologyScreen.PATH,
              "GET /topology",
              TopologyScreen::register),
          new Screen(
              "exposure",
              "Exposure",
              ExposureScreen.PATH,
              "GET /exposure",
              ExposureScreen::register),
          new Screen(
              "packages",
              "API Services",
              PackagesScreen.PATH,
              "GET /packages",
              PackagesScreen::register));

  private Screens() {}

  /** The screens {@code caller}'s key may open: those whose endpoint its scopes allow. */
  static List<Screen> visibleTo(Caller caller, ApiTable api) {
    return ALL.stream().filter(s -> Scopes.allows(caller, api, s.endpoint())).toList();
  }
}
