package io.secretsapi.server;

import java.util.Arrays;

/**
 * Passes a server-sent event stream on whole events only: the bytes after the last event boundary
 * (a blank line) wait for the rest of their event. Upstreams send each event with its blank line,
 * so nothing waits in practice; but when the broker cuts a stream, the caller has read no half
 * event, and the error event that ends the stream is parsed as an event of its own rather than
 * glued to the tail of another. An event longer than {@link #MAX_PENDING} is passed on as it comes.
 */
final class EventFrames {
  static final int MAX_PENDING = 1 << 20;
  private byte[] pending = new byte[0];

  /** The whole events that {@code chunk} completes, with what was waiting before them. */
  byte[] whole(byte[] chunk) {
    byte[] all = concat(pending, chunk);
    int end = all.length > MAX_PENDING ? all.length : afterLastBoundary(all);
    pending = Arrays.copyOfRange(all, end, all.length);
    return end == all.length ? all : Arrays.copyOf(all, end);
  }

  /** What is still waiting: at the stream's normal end it goes out as it is. */
  byte[] rest() {
    byte[] r = pending;
    pending = new byte[0];
    return r;
  }

  /** The index just after the last blank line ({@code \n\n}, {@code \r\n\r\n}, {@code \r\r}). */
  static int afterLastBoundary(byte[] b) {
    for (int i = b.length - 1; i >= 1; i--) {
      if (b[i] == '\n' && b[i - 1] == '\n'
          || b[i] == '\r' && b[i - 1] == '\r'
          || b[i] == '\n' && i >= 3 && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
        return i + 1;
      }
    }
    return 0;
  }

  static byte[] concat(byte[] a, byte[] b) {
    if (a.length == 0) {
      return b;
    }
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
