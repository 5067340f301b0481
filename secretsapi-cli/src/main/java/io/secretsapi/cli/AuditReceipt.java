package io.secretsapi.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The receipt {@code secretsapi audit export} writes next to an export, held against the export it
 * describes: each field that differs is named, so that a reader learns what was changed, not only
 * that something was.
 */
final class AuditReceipt {
  private final JsonNode receipt;

  AuditReceipt(JsonNode receipt) {
    this.receipt = receipt;
  }

  /** The receipt's signed checkpoint, if it holds one. */
  Optional<JsonNode> checkpoint() {
    JsonNode c = receipt.get("checkpoint");
    return c == null || !c.isObject() ? Optional.empty() : Optional.of(c);
  }

  /**
   * The fields of the receipt that do not describe the export: {@code filename}, {@code count},
   * {@code sha256}, {@code filters.from} and {@code filters.to} (the first and last offsets), and
   * {@code checkpoint.tree_size} (the export ends where its checkpoint does). Empty when all match.
   *
   * @param firstOffset the first record's offset, or -1 when unknown
   * @param lastOffset the last record's offset, or -1 when unknown (the chain broke before it)
   */
  List<String> mismatches(
      String filename, long lines, String sha256, long firstOffset, long lastOffset) {
    List<String> out = new ArrayList<>();
    text("filename", receipt.get("filename"), filename, out);
    number("count", receipt.get("count"), lines, "the file holds " + lines + " records", out);
    text("sha256", receipt.get("sha256"), sha256, out);
    JsonNode filters = receipt.get("filters");
    JsonNode from = filters == null ? null : filters.get("from");
    JsonNode to = filters == null ? null : filters.get("to");
    if (firstOffset >= 0) {
      number("filters.from", from, firstOffset, "the records start at offset " + firstOffset, out);
    }
    if (lastOffset >= 0) {
      number("filters.to", to, lastOffset, "the records end at offset " + lastOffset, out);
    }
    JsonNode size = checkpoint().map(c -> c.get("tree_size")).orElse(null);
    if (to != null && to.canConvertToLong()) {
      number(
          "checkpoint.tree_size",
          size,
          to.asLong(),
          "filters.to is " + to.asLong() + ": the export must end where its checkpoint does",
          out);
    } else if (size == null) {
      out.add("checkpoint: the receipt holds no checkpoint");
    }
    return out;
  }

  private static void text(String field, JsonNode got, String actual, List<String> out) {
    if (got == null || !got.isString()) {
      out.add(field + ": missing from the receipt");
    } else if (!got.asString().equals(actual)) {
      out.add(
          field
              + ": the receipt says "
              + got.asString()
              + ", but the file's is "
              + (actual.length() > 80 ? actual.substring(0, 80) + "..." : actual));
    }
  }

  private static void number(
      String field, JsonNode got, long actual, String what, List<String> out) {
    if (got == null || !got.canConvertToLong() || !got.isIntegralNumber()) {
      out.add(field + ": missing from the receipt");
    } else if (got.asLong() != actual) {
      out.add(field + ": the receipt says " + got.asLong() + ", but " + what);
    }
  }
}
