package io.secretsapi.server.console;

import io.secretsapi.access.Caller;
import java.util.List;
import java.util.Optional;

/**
 * What the vault shows under its table: the policy sets in force and the latest signed checkpoint,
 * each only for a key that may read it through the API ({@code GET /policies}, {@code GET
 * /audit/checkpoints}).
 */
final class VaultUnder {
  private VaultUnder() {}

  static List<String> policies(Console c, Caller caller) {
    if (!Scopes.allows(caller, c.http().api(), "GET /policies")) {
      return List.of();
    }
    return c.core().policies().list().stream().map(p -> p.id() + " · v" + p.version()).toList();
  }

  static Optional<String> checkpoint(Console c, Caller caller) {
    if (!Scopes.allows(caller, c.http().api(), "GET /audit/checkpoints")) {
      return Optional.empty();
    }
    return c.band()
        .latestCheckpoint()
        .map(
            cp ->
                "signed · "
                    + HeaderBand.shortHash(cp.rootHash())
                    + " · offset "
                    + cp.treeSize()
                    + " · "
                    + Times.utc(cp.time(), c.clock().instant()));
  }
}
