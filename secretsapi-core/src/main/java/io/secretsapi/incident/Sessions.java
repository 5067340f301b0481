package io.secretsapi.incident;

/**
 * The open proxied streams of this node, which step 3 of the playbook cuts. The server's proxy
 * implements it; the core alone has no streams. Other nodes cut their own streams when the
 * revocation and the block reach them through the change feed, as any revocation does.
 *
 * <p>A revocation already wakes the proxy's watchdog, which may cut a stream before step 3 runs: so
 * the step reads the count before step 1 and after its own sweep, and reports the difference.
 * Implementations are thread-safe and return at once.
 */
public interface Sessions {
  /** No proxy runs on this node: nothing to cut. */
  Sessions NONE =
      new Sessions() {
        @Override
        public long cutSoFar(String secretId) {
          return 0;
        }

        @Override
        public void terminate(String secretId) {}
      };

  /** How many streams of {@code secretId} this node has cut since it started, for a lost grant. */
  long cutSoFar(String secretId);

  /** Cuts, now, every open stream of {@code secretId} whose grant may no longer be used. */
  void terminate(String secretId);
}
