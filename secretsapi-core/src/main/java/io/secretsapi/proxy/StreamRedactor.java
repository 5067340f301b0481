package io.secretsapi.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Removes every spelling of some credentials (an injected key, as an upstream may echo it back in
 * an error) from a stream, chunk by chunk, without waiting for the end: the key as it is, percent-
 * or form-encoded, JSON-escaped, in either case when it is hex, and inside base64 at any alignment
 * (see {@link Echoes}). It holds back only the bytes at the end of a chunk that could be the start
 * of a spelling continued in the next chunk, so a streamed answer still flows as it arrives.
 *
 * <p>The needles are built once, when the redactor is made for a call; a chunk is scanned once, a
 * match tried only where a byte could begin a spelling. Not thread-safe: one per stream.
 */
public final class StreamRedactor {
  public static final byte[] MARK = "[redacted]".getBytes(StandardCharsets.US_ASCII);

  /** From this many held bytes on, the end of a stream withholds them ({@link #finish}). */
  public static final int WITHHELD_AT_END = 8;

  private final Echoes echoes;
  private final int count;
  private byte[] pending = new byte[0];
  private long redactions;

  public StreamRedactor(List<String> secrets) {
    this.echoes = Echoes.of(secrets);
    this.count = (int) secrets.stream().filter(s -> s != null && !s.isEmpty()).count();
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
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
    int hold = scan(data, out, false);
    pending = Arrays.copyOfRange(data, hold, data.length);
    return out.toByteArray();
  }

  /**
   * What is left at the natural end of the stream. The bytes held back are the start of a spelling
   * the stream ended inside: from {@link #WITHHELD_AT_END} bytes on they are replaced by {@link
   * #MARK} (an upstream that ends on most of the credential does not hand it out); a shorter tail
   * is too short to tell from text and is released as it is.
   */
  public byte[] finish() {
    if (pending.length >= WITHHELD_AT_END) {
      return cut();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(pending.length);
    scan(pending, out, true);
    pending = new byte[0];
    return out.toByteArray();
  }

  /**
   * What is left when the broker cuts the stream short (a size limit): the bytes held back as the
   * possible start of a spelling are never released, whatever their length; {@link #MARK} stands
   * for them.
   */
  public byte[] cut() {
    if (pending.length == 0) {
      return new byte[0];
    }
    pending = new byte[0];
    redactions++;
    return MARK.clone();
  }

  /** Redacts a whole value at once, such as a header. */
  public String redact(String s) {
    byte[] in = s.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
    scan(in, out, true);
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * Writes {@code data} to {@code out} with every spelling replaced by {@link #MARK}, up to where a
   * spelling may continue past the end (unless {@code last}); answers where the held bytes start.
   */
  private int scan(byte[] data, ByteArrayOutputStream out, boolean last) {
    int from = 0;
    int i = 0;
    while (i < data.length) {
      if (!echoes.starts(data[i])) {
        i++;
        continue;
      }
      int end = echoes.match(data, i, data.length, last);
      if (end == Echoes.PARTIAL) {
        break; // more of the stream could make a spelling here: hold it back
      }
      if (end > i) {
        out.write(data, from, i - from);
        out.writeBytes(MARK);
        redactions++;
        from = end;
        i = end;
      } else {
        i++;
      }
    }
    out.write(data, from, i - from);
    return i;
  }

  @Override
  public String toString() {
    return "StreamRedactor[" + count + " credential(s)]";
  }
}
