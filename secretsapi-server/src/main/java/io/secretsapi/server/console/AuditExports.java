package io.secretsapi.server.console;

import io.javalin.http.Context;
import io.secretsapi.NotFoundException;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.audit.AuditCheckpoints.Checkpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's export of the chain, as {@code secretsapi audit export} makes one: a fresh signed
 * checkpoint ({@code POST /audit/checkpoints}), then the records from {@code from} (default 1) to
 * the checkpoint's tree size, streamed by {@link io.secretsapi.audit.AuditTrail#export} exactly as
 * {@code GET /audit/export} streams them, under the API's filename. The SHA-256 and the count are
 * taken over the very bytes written to the response while they are written, so the receipt
 * describes the file the browser saved. The latest receipt of each principal is kept in memory
 * (this node, until restart) and written to the audit trail with the export's request record.
 */
final class AuditExports {
  private static final JsonMapper PRETTY =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private final Console console;
  private final Map<String, AuditReceipt> latest = new ConcurrentHashMap<>();

  AuditExports(Console console) {
    this.console = console;
  }

  Optional<AuditReceipt> latest(Caller caller) {
    return Optional.ofNullable(latest.get(caller.principal()));
  }

  void export(Context ctx, Session s) throws IOException {
    Caller caller = s.caller();
    long from = AuditFilter.of(ctx).fromOffset().orElse(1L);
    Checkpoint cp =
        console
            .core()
            .checkpoints()
            .checkpoint()
            .orElseThrow(
                () -> new ValidationException("trail", "empty", "the audit trail is empty"));
    long to = cp.treeSize();
    if (from > to) {
      throw new ValidationException(
          "from", "range", "from must be at most " + to + ", the last signed offset");
    }
    String filename = "secretsapi-audit-from-" + from + ".jsonl";
    ctx.contentType("application/jsonl; charset=utf-8");
    ctx.header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    MessageDigest sha = sha256();
    long[] count = {0};
    OutputStream out = new DigestOutputStream(ctx.res().getOutputStream(), sha);
    try {
      console
          .core()
          .trail()
          .export(
              caller,
              from,
              to,
              r -> {
                try {
                  out.write(r.record().getBytes(StandardCharsets.UTF_8));
                  out.write('\n');
                  count[0]++;
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      out.flush();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    AuditReceipt receipt =
        new AuditReceipt(
            filename,
            from,
            to,
            count[0],
            HexFormat.of().formatHex(sha.digest()),
            cp,
            console.clock().instant());
    latest.put(caller.principal(), receipt);
    console
        .http()
        .record(
            caller,
            "request",
            "allow",
            200,
            "audit export "
                + filename
                + " "
                + receipt.filters()
                + ": "
                + receipt.count()
                + " records, sha256 "
                + receipt.sha256());
  }

  /** The latest receipt as JSON, the file {@code secretsapi audit verify --receipt} reads. */
  void receipt(Context ctx, Session s) {
    AuditReceipt r =
        latest(s.caller())
            .orElseThrow(
                () -> new NotFoundException("export receipt", "of " + s.caller().principal()));
    ctx.contentType("application/json");
    ctx.header("Content-Disposition", "attachment; filename=\"" + r.filename() + ".receipt.json\"");
    ctx.result(PRETTY.writeValueAsString(r.toMap()));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
