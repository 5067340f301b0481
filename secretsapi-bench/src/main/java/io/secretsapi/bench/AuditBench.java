package io.secretsapi.bench;

import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.audit.AuditVerifier;
import io.secretsapi.audit.JsonLines;
import io.secretsapi.audit.MerkleTree;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Offline costs of the audit trail, in one thread: making a record (canonical JSON and leaf hash),
 * verifying an export (what {@code secretsapi audit verify} does per line), and computing a
 * checkpoint's tree head, in full and incrementally.
 *
 * <pre>
 * java -cp secretsapi-bench/target/secretsapi-bench.jar io.secretsapi.bench.AuditBench [records] [runs]
 * </pre>
 */
public final class AuditBench {
  private AuditBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path file = Files.createTempFile("secretsapi-audit-bench-", ".jsonl");
    file.toFile().deleteOnExit();
    List<String> leaves = new ArrayList<>(n);
    long t0 = System.nanoTime();
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      String prev = AuditLog.GENESIS;
      long at = 1_795_000_000_000L;
      for (int i = 1; i <= n; i++) {
        String line = AuditLog.canonical(AuditLog.record(i, at + i, entry(i), prev));
        prev = AuditLog.leafHash(line);
        leaves.add(prev);
        out.write(line);
        out.write('\n');
      }
    }
    double makeUs = (System.nanoTime() - t0) / 1e3 / n;
    System.out.printf(
        Locale.ROOT,
        "records: %,d (%,d bytes); making one (canonical JSON + leaf hash): %.2f us%n",
        n,
        Files.size(file),
        makeUs);

    double[] verify = new double[runs];
    for (int r = 0; r < runs; r++) {
      long s = System.nanoTime();
      AuditVerifier v = new AuditVerifier(1, AuditLog.GENESIS);
      try (var in = Files.newInputStream(file)) {
        JsonLines.forEach(in, v::accept);
      }
      if (!v.result().ok() || v.result().records() != n) {
        throw new IllegalStateException("the generated chain failed: " + v.result());
      }
      verify[r] = n / ((System.nanoTime() - s) / 1e9);
    }
    System.out.printf(
        Locale.ROOT,
        "verify: %,.0f records/s (median of %d; runs %s)%n",
        median(verify),
        runs,
        fmt(verify));

    double[] full = new double[runs];
    for (int r = 0; r < runs; r++) {
      long s = System.nanoTime();
      MerkleTree.root(leaves);
      full[r] = (System.nanoTime() - s) / 1e6;
    }
    System.out.printf(
        Locale.ROOT,
        "tree head over all %,d leaves from scratch: %.1f ms (median)%n",
        n,
        median(full));

    MerkleTree.CompactRange range = new MerkleTree.CompactRange();
    leaves.subList(0, n - 3000).forEach(range::append);
    double[] step = new double[3];
    for (int r = 0; r < 3; r++) {
      long s = System.nanoTime();
      leaves.subList(n - 3000 + r * 1000, n - 2000 + r * 1000).forEach(range::append);
      range.root();
      step[r] = (System.nanoTime() - s) / 1e3;
    }
    System.out.printf(
        Locale.ROOT,
        "incremental checkpoint of 1,000 new records on a tree of %,d: %.0f us (median of 3)%n",
        n,
        median(step));
  }

  private static AuditEntry entry(int i) {
    return AuditEntry.of("token.issue", "agent-runtime-04", "allow")
        .subject("agent-runtime-04")
        .secret("sec_7fa91c0a1b2c")
        .token("tok_" + Integer.toString(i, 36) + "zq4m2k7x3hbd9wc")
        .scope("model-access")
        .policy(new AuditEntry.PolicyRef("KEY-SCOPE-17", 3, "agents-model-access"))
        .reason("allowed by rule agents-model-access of policy KEY-SCOPE-17 v3")
        .environment("production")
        .requestId("req_" + Integer.toString(i, 36) + "ilbp3yrq55w")
        .source("10.0.4.17")
        .route("POST /tokens/issue")
        .status(200)
        .build();
  }

  private static double median(double[] xs) {
    double[] c = xs.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  private static String fmt(double[] xs) {
    StringBuilder b = new StringBuilder();
    for (double x : xs) {
      b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,.0f", x));
    }
    return b.toString();
  }
}
