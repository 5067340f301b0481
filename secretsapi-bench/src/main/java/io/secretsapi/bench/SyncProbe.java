package io.secretsapi.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one durable write costs on this disk, alone: a 4 KiB write (or {@code --kib}) into a file
 * already allocated (as SQLite's write-ahead log is rewritten in place) and {@code fdatasync},
 * timed together, back to back and after pauses. Every durable grant pays at least this before the
 * proxy lets a key leave, whatever the store; the pauses show what it costs when the call before
 * was that long ago.
 *
 * <pre>java -cp secretsapi-bench.jar io.secretsapi.bench.SyncProbe [--dir /tmp] [--count 2000]
 *   [--pause-ms 0,1,20] [--kib 4]
 * </pre>
 *
 * {@code --kib}: how much each sync writes (a grant's commit writes one WAL frame of 4 KiB per page
 * it changes).
 */
public final class SyncProbe {
  private static final long FILE = 4L << 20; // SQLite's default WAL size before a checkpoint

  private SyncProbe() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = LoadGenerator.parse(args);
    Path dir = Path.of(a.getOrDefault("dir", System.getProperty("java.io.tmpdir")));
    int count = Integer.parseInt(a.getOrDefault("count", "2000"));
    int block = Integer.parseInt(a.getOrDefault("kib", "4")) * 1024;
    Path file = Files.createTempFile(dir, "sync-probe", ".bin");
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
      byte[] bytes = new byte[block];
      new SecureRandom().nextBytes(bytes);
      for (long at = 0; at + block <= FILE; at += block) {
        ch.write(ByteBuffer.wrap(bytes), at);
      }
      ch.force(true);
      System.out.printf(
          "%-9s %7s %9s %9s %9s%n", "pause_ms", "syncs", "p50_ms", "p90_ms", "p99_ms");
      for (String p : a.getOrDefault("pause-ms", "0,1,20").split(",")) {
        long pause = Long.parseLong(p.trim());
        Histogram h = probe(ch, bytes, Math.max(50, count / 10), pause); // warm-up
        h = probe(ch, bytes, pause >= 20 ? Math.min(count, 500) : count, pause);
        System.out.printf(
            "%-9d %7d %9.3f %9.3f %9.3f%n",
            pause,
            h.getTotalCount(),
            h.getValueAtPercentile(50) / 1e6,
            h.getValueAtPercentile(90) / 1e6,
            h.getValueAtPercentile(99) / 1e6);
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static Histogram probe(FileChannel ch, byte[] block, int count, long pauseMillis)
      throws IOException, InterruptedException {
    Histogram h = new Histogram(3);
    for (int i = 0; i < count; i++) {
      if (pauseMillis > 0) {
        Thread.sleep(pauseMillis);
      }
      block[0] = (byte) i;
      long start = System.nanoTime();
      ch.write(ByteBuffer.wrap(block), (i % (FILE / block.length)) * block.length);
      ch.force(false);
      h.recordValue(System.nanoTime() - start);
    }
    return h;
  }
}
