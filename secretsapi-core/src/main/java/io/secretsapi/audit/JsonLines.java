package io.secretsapi.audit;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Reads JSON Lines as byte ranges, without decoding each line to a string first. */
public final class JsonLines {
  /** Receives one line (without its newline); returns false to stop. */
  @FunctionalInterface
  public interface LineSink {
    boolean line(byte[] buf, int from, int to);
  }

  private JsonLines() {}

  /** Feeds every line of {@code in} to {@code sink}, until the end or until it returns false. */
  public static void forEach(InputStream in, LineSink sink) throws IOException {
    byte[] buf = new byte[1 << 20];
    int start = 0;
    int filled = 0;
    while (true) {
      int n = in.read(buf, filled, buf.length - filled);
      if (n < 0) {
        if (filled > start && !sink.line(buf, start, trim(buf, start, filled))) {
          return;
        }
        return;
      }
      int scan = filled;
      filled += n;
      for (int k = scan; k < filled; k++) {
        if (buf[k] == '\n') {
          if (!sink.line(buf, start, trim(buf, start, k))) {
            return;
          }
          start = k + 1;
        }
      }
      if (start > 0) {
        System.arraycopy(buf, start, buf, 0, filled - start);
        filled -= start;
        start = 0;
      } else if (filled == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
      }
    }
  }

  private static int trim(byte[] buf, int from, int to) {
    return to > from && buf[to - 1] == '\r' ? to - 1 : to;
  }
}
