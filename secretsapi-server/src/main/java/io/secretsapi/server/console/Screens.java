package io.secretsapi.server.console;

import io.secretsapi.access.Caller;
import java.util.List;

/**
 * Every screen of the console, in navigation order. Adding a screen is one line here and its own
 * {@code XxxScreen} class registered in {@link Console} (docs/design/0022-console.md).
 */
final class Screens {
  static final List<Screen> ALL =
      List.of(
          new Screen("vault", "Secrets vault", "/console/secrets", "GET /secrets"),
          new Screen("audit", "Audit replay", "/console/audit", "GET /audit/trail"),
          new Screen("policies", "Policies", "/console/policies", "GET /policies"));

  private Screens() {}

  /** The screens {@code caller}'s key may open: those whose endpoint its scopes allow. */
  static List<Screen> visibleTo(Caller caller, ApiTable api) {
    return ALL.stream().filter(s -> Scopes.allows(caller, api, s.endpoint())).toList();
  }
}
