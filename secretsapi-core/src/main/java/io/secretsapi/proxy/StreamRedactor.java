package io.secretsapi.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Removes every occurrence of some byte strings (an injected credential, as an upstream may echo it
 * back in an error) from a stream, chunk by chunk, without waiting for the end: it holds back only
 * the bytes at the end of a chunk that could be the start of a credential continued in the next
 * chunk, so a streamed answer still flows as it arrives.
 */
public final class StreamRedactor {
  public static final byte[] MARK = "[redacted]".getBytes(StandardCharsets.US_ASCII);

  private final byte[][] needles;
  private byte[] pending = new byte[0];
  private long redactions;

  public StreamRedactor(List<String> secrets) {
    this.needles =
        secrets.stream()
            .filter(s -> s != null && !s.isEmpty())
            .map(s -> s.getBytes(StandardCharsets.UTF_8))
            .toArray(byte[][]::new);
  }

  /** How many occurrences were replaced so far. */
  public long redactions() {
    return redactions;
  }

  /** The bytes that may leave now, given {@code len} more bytes of the stream. */
  public byte[] next(byte[] buf, int off, int len) {
    byte[] data = new byte[pending.length + len];
    System.arraycopy(pending, 0, data, 0, pending.length);
    System.arraycopy(buf, off, data, pending.length, len);
    byte[] clean = replaceAll(data);
    int hold = heldBack(clean);
    pending = Arrays.copyOfRange(clean, clean.length - hold, clean.length);
    return Arrays.copyOf(clean, clean.length - hold);
  }

  /** What is left at the end of the stream. */
  public byte[] finish() {
    byte[] rest = pending;
    pending = new byte[0];
    return rest;
  }

  /** Redacts a whole value at once, such as a header. */
  public String redact(String s) {
    byte[] out = replaceAll(s.getBytes(StandardCharsets.UTF_8));
    return new String(out, StandardCharsets.UTF_8);
  }

  private byte[] replaceAll(byte[] data) {
    byte[] cur = data;
    for (byte[] n : needles) {
      int at = indexOf(cur, n, 0);
      if (at < 0) {
        continue;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(cur.length);
      int from = 0;
      while (at >= 0) {
        out.write(cur, from, at - from);
        out.writeBytes(MARK);
        redactions++;
        from = at + n.length;
        at = indexOf(cur, n, from);
      }
      out.write(cur, from, cur.length - from);
      cur = out.toByteArray();
    }
    return cur;
  }

  /** The longest tail of {@code data} that is a proper prefix of some credential. */
  private int heldBack(byte[] data) {
    int best = 0;
    for (byte[] n : needles) {
      for (int k = Math.min(n.length - 1, data.length); k > best; k--) {
        if (Arrays.equals(data, data.length - k, data.length, n, 0, k)) {
          best = k;
          break;
        }
      }
    }
    return best;
  }

  private static int indexOf(byte[] hay, byte[] n, int from) {
    outer:
    for (int i = from; i <= hay.length - n.length; i++) {
      for (int j = 0; j < n.length; j++) {
        if (hay[i + j] != n[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Override
  public String toString() {
    return "StreamRedactor[" + needles.length + " credential(s)]";
  }
}
