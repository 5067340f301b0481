package io.secretsapi.server.console;

import io.secretsapi.audit.AuditCheckpoints.Checkpoint;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The receipt of one console export, in the shape {@code secretsapi audit export} writes next to
 * its file (and {@code secretsapi audit verify --receipt} checks): the filename, the filters (the
 * offsets {@code from} and {@code to}), the number of records, the SHA-256 of exactly the bytes
 * sent, and the signed checkpoint the export ends at.
 */
record AuditReceipt(
    String filename,
    long from,
    long to,
    long count,
    String sha256,
    Checkpoint checkpoint,
    Instant at) {

  /** The receipt as JSON, field for field as the CLI writes it. */
  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("filename", filename);
    Map<String, Object> filters = new LinkedHashMap<>();
    filters.put("from", from);
    filters.put("to", to);
    m.put("filters", filters);
    m.put("count", count);
    m.put("sha256", sha256);
    m.put("checkpoint", checkpoint.toMap());
    return m;
  }

  /** The filters as the page shows them: {@code from 1 to 57}. */
  String filters() {
    return "from " + from + " to " + to;
  }

  String root() {
    return HeaderBand.shortHash(checkpoint.rootHash());
  }
}
