package io.secretsapi.audit;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Where the request being served came from: its request id, the caller's address and the route. The
 * HTTP layer binds one to the serving thread; {@link AuditLog} adds it to every record written on
 * that thread, and {@link io.secretsapi.storage.GroupCommit} carries it to its writer thread, so
 * that a record made deep inside a service still names the request and address it served. It also
 * notes the offset of the last record made for the request, so that the HTTP layer writes a record
 * of its own only for requests no service recorded.
 */
public final class Origin {
  /** No request: a background job, a test, the command line. */
  public static final Origin NONE = new Origin(null, null, null);

  private static final ThreadLocal<Origin> CURRENT = ThreadLocal.withInitial(() -> NONE);

  private final String requestId;
  private final String source;
  private final String route;
  private volatile long recorded;

  private Origin(String requestId, String source, String route) {
    this.requestId = requestId;
    this.source = source;
    this.route = route;
  }

  public static Origin of(String requestId, String source, String route) {
    return new Origin(requestId, source, route);
  }

  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  public Optional<String> source() {
    return Optional.ofNullable(source);
  }

  public Optional<String> route() {
    return Optional.ofNullable(route);
  }

  /** The offset of the last record appended for this request, if any. */
  public OptionalLong recorded() {
    long r = recorded;
    return r == 0 ? OptionalLong.empty() : OptionalLong.of(r);
  }

  void noteRecorded(long offset) {
    if (this != NONE) {
      recorded = offset;
    }
  }

  /** The origin bound to this thread, or {@link #NONE}. */
  public static Origin current() {
    return CURRENT.get();
  }

  /** Runs {@code work} with {@code origin} bound to this thread, then restores the previous one. */
  public static <T> T with(Origin origin, Supplier<T> work) {
    Origin previous = CURRENT.get();
    CURRENT.set(origin);
    try {
      return work.get();
    } finally {
      CURRENT.set(previous);
    }
  }

  /** Binds {@code origin} to this thread until {@link #clear()}: for a request's whole life. */
  public static void bind(Origin origin) {
    CURRENT.set(origin);
  }

  /** Forgets this thread's origin. */
  public static void clear() {
    CURRENT.remove();
  }

  @Override
  public String toString() {
    return "Origin[" + requestId + " from " + source + " " + route + "]";
  }
}
