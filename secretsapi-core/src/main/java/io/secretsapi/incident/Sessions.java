package io.secretsapi.incident;

/**
 * The open proxied streams of this node, which step 3 of the playbook cuts. The server's proxy
 * implements it; the core alone has no streams. Other nodes cut their own streams when the
 * revocation and the block reach them through the change feed, as any revocation does.
 *
 * <p>Implementations are thread-safe and return at once.
 */
public interface Sessions {
  /** No proxy runs on this node: nothing to cut. */
  Sessions NONE = secretId -> 0;

  /**
   * Cuts, now, every open proxied stream whose grant is of {@code secretId} and may no longer be
   * used, and answers how many were cut.
   */
  int terminate(String secretId);
}
