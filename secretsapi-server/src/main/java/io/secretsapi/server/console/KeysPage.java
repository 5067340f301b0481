package io.secretsapi.server.console;

import java.util.List;
import java.util.Optional;

/**
 * API keys and service accounts (screen 6): the accounts and keys the operator's key may see, as
 * {@code GET /service-accounts} and {@code GET /api-keys} list them (never a key's secret), and a
 * key just made, shown this once.
 *
 * @param grantable the scopes a new key may get: those the operator's key holds itself
 * @param canAdmin whether the key holds {@code keys:admin}: it may create and revoke accounts
 * @param recommended the recommended first scope, checked by default in the form
 */
record KeysPage(
    Frame frame,
    List<Account> accounts,
    List<KeyRow> keys,
    Optional<Reveal> reveal,
    List<String> grantable,
    boolean canAdmin,
    String ownAccount,
    String recommended) {

  /**
   * One service account.
   *
   * @param activeKeys how many of its keys are active
   * @param canRevoke whether the operator may revoke it (not its own account)
   */
  record Account(
      String id,
      String name,
      String description,
      String status,
      String created,
      String createdIso,
      long activeKeys,
      boolean canRevoke) {}

  /**
   * One API key: its id (public) and metadata, never its secret.
   *
   * @param status {@code active}, {@code revoked}, or {@code needs review} for any other state
   * @param lastUsed such as {@code 12s ago}, or {@code never}
   * @param grace for a key rotated with a grace: until when it stays valid; empty otherwise
   * @param canRotate whether the operator may rotate it: active, and every scope of it one the
   *     operator's key holds
   */
  record KeyRow(
      String id,
      String name,
      String accountId,
      String accountName,
      List<String> scopes,
      String status,
      String created,
      String createdIso,
      String expires,
      String lastUsed,
      String lastUsedIso,
      long useCount,
      String replaces,
      String replacedBy,
      String grace,
      boolean canRotate,
      boolean canRevoke) {}

  /**
   * A key just created or rotated, shown once.
   *
   * @param rotatedFrom the key it replaces; empty for a new key
   * @param oldRevoked whether the replaced key was revoked at once (else it runs out after a grace)
   * @param sessionEnded the operator rotated the key of this very session: it is over
   */
  record Reveal(
      String keyId,
      String name,
      String plaintext,
      List<String> scopes,
      Optional<String> rotatedFrom,
      boolean oldRevoked,
      boolean sessionEnded) {
    @Override
    public String toString() {
      return "Reveal[" + keyId + ", plaintext=<redacted>]";
    }
  }
}
