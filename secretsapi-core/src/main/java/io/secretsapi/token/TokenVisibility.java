package io.secretsapi.token;

import io.secretsapi.Ids;
import io.secretsapi.access.Caller;
import io.secretsapi.access.Scope;
import io.secretsapi.secret.Vault;
import io.secretsapi.storage.Database;
import java.time.Instant;
import java.util.Optional;

/**
 * Which grants a caller may see and act on: those issued by its service account, and those for the
 * secrets its account owns; all of them with {@code admin}. Others read as not found.
 */
final class TokenVisibility {
  private TokenVisibility() {}

  static Grant visible(Database db, Vault vault, Caller caller, String tokenId, Instant now) {
    Optional<Grant> g =
        Ids.looksLike("tok_", tokenId)
            ? db.read(h -> TokenStore.find(h, tokenId, now))
            : Optional.empty();
    if (g.isEmpty()) {
      throw new TokenNotFoundException(
          String.valueOf(tokenId).length() > 40 ? "(malformed id)" : tokenId);
    }
    boolean ok =
        caller.has(Scope.ADMIN)
            || g.get().serviceAccountId().equals(caller.serviceAccountId())
            || vault
                .find(g.get().secretId())
                .map(s -> s.accountId().equals(caller.serviceAccountId()))
                .orElse(false);
    if (!ok) {
      throw new TokenNotFoundException(tokenId);
    }
    return g.get();
  }
}
