package io.secretsapi.cli;

import io.secretsapi.audit.AuditLog;
import io.secretsapi.audit.AuditVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code secretsapi audit verify FILE}: checks an export offline, with no server. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description =
        "Verify an exported chain offline: canonical records, gap-free offsets, hash links, an"
            + " anchored start, and the receipt field by field.")
final class AuditVerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "table (default: an ok or FAILED line) or json (one object with ok and reason)")
  String output;

  @Parameters(index = "0", description = "An export made by 'secretsapi audit export'")
  Path file;

  @Option(
      names = "--prev",
      description =
          "The leaf hash of the record before the first one, from an earlier verified export:"
              + " anchors an export that starts after offset 1 (one from offset 1 is anchored by"
              + " genesis)")
  String prev;

  @Option(
      names = "--allow-unanchored",
      description =
          "Accept an export that starts after offset 1 without --prev: nothing then vouches for"
              + " its first record, so records cut from its head go unnoticed (a warning says so)")
  boolean allowUnanchored;

  @Option(
      names = "--receipt",
      description = "The export's receipt: file SHA-256, count and signed checkpoint")
  Path receipt;

  @Option(
      names = "--public-key",
      description = "The audit public keys (JWKS), obtained out of band from /audit/jwks.json")
  Path publicKey;

  @Option(
      names = "--checkpoint",
      description =
          "More signed checkpoints to hold the export to (JSON: one checkpoint, or a"
              + " /audit/checkpoints answer), such as ones kept from earlier reads; repeatable."
              + " Two of one size with different roots are a fork.")
  java.util.List<Path> extra = new java.util.ArrayList<>();

  @Override
  public Integer call() throws Exception {
    AuditVerifier[] holder = {null};
    try (var in = Files.newInputStream(file)) {
      io.secretsapi.audit.JsonLines.forEach(
          in,
          (buf, from, to) -> {
            if (holder[0] == null) {
              String line = new String(buf, from, to - from, StandardCharsets.UTF_8);
              long first = Long.parseLong(line.replaceAll(".*\"offset\":([0-9]+).*", "$1"));
              String before = prev != null ? prev : first == 1 ? AuditLog.GENESIS : null;
              holder[0] = before == null ? new AuditVerifier() : new AuditVerifier(first, before);
            }
            return holder[0].accept(buf, from, to);
          });
    } catch (NumberFormatException e) {
      spec.commandLine().getErr().println("FAILED at the first line: it has no offset");
      return 3;
    }
    AuditVerifier v = holder[0];
    if (v == null) {
      spec.commandLine().getErr().println("error: " + file + " holds no records");
      return 3;
    }
    AuditVerifier.Result r = v.result();
    var json = tools.jackson.databind.json.JsonMapper.builder().build();
    java.util.List<io.secretsapi.audit.AuditCheckpoints.Checkpoint> cps =
        new java.util.ArrayList<>();
    if ((receipt != null || !extra.isEmpty()) && publicKey == null) {
      spec.commandLine().getErr().println("error: --receipt and --checkpoint need --public-key");
      return 2;
    }
    for (Path p : extra) {
      var node = json.readTree(Files.readString(p));
      for (var c : node.has("items") ? node.get("items") : json.createArrayNode().add(node)) {
        cps.add(checkpointOf(c));
      }
    }
    if (receipt != null) {
      AuditReceipt rc = new AuditReceipt(json.readTree(Files.readString(receipt)));
      byte[] bytes = Files.readAllBytes(file);
      String sha =
          java.util.HexFormat.of()
              .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
      java.util.List<String> differ =
          rc.mismatches(
              file.getFileName().toString(),
              lines(bytes),
              sha,
              v.firstOffset(),
              r.ok() ? v.firstOffset() + r.records() - 1 : -1);
      if (!differ.isEmpty()) {
        return failed(
            "FAILED: the receipt does not match the export: "
                + String.join("; ", differ)
                + " ("
                + r.records()
                + " records read"
                + (r.ok() ? "" : "; first bad offset " + r.firstBadOffset().orElse(-1L))
                + ")");
      }
      rc.checkpoint().ifPresent(c -> cps.add(0, checkpointOf(c)));
    }
    java.util.List<String> warnings = new java.util.ArrayList<>();
    boolean checked = false;
    if (!cps.isEmpty() && r.ok() && v.firstOffset() != 1) {
      warnings.add(
          "checkpoints not checked: they cover the trail from offset 1, and this export starts at"
              + " offset "
              + v.firstOffset());
    } else if (!cps.isEmpty()) {
      r = v.checkpoints(cps, com.nimbusds.jose.jwk.JWKSet.load(publicKey.toFile()));
      checked = true;
    }
    if (r.ok() && !v.anchored()) {
      AuditVerifier.Result anchoredOnly = v.requireAnchored();
      if (!allowUnanchored) {
        return failed(
            "FAILED at offset "
                + anchoredOnly.firstBadOffset().orElse(-1L)
                + ": "
                + anchoredOnly.reason()
                + "; pass it as --prev HASH, or accept the unanchored start with"
                + " --allow-unanchored");
      }
      warnings.add(anchoredOnly.reason());
    }
    if (r.ok()) {
      String reason = checked ? r.reason() : null;
      if (json()) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("ok", true);
        m.put("records", r.records());
        m.put("last_leaf_hash", r.lastLeafHash());
        m.put("anchored", v.anchored());
        m.put("checkpoints", reason);
        m.put("warnings", warnings);
        spec.commandLine().getOut().println(ClientOptions.Pretty.MAPPER.writeValueAsString(m));
        spec.commandLine().getOut().flush();
        return 0;
      }
      for (String w : warnings) {
        spec.commandLine().getErr().println("warning: " + w);
      }
      spec.commandLine().getErr().flush();
      spec.commandLine()
          .getOut()
          .println(
              "ok: "
                  + r.records()
                  + " records, last leaf hash "
                  + r.lastLeafHash()
                  + (v.anchored()
                      ? ""
                      : "; UNANCHORED: from offset " + v.firstOffset() + ", nothing before it")
                  + (reason != null ? "; " + reason : ""));
      spec.commandLine().getOut().flush();
      return 0;
    }
    return failed(
        "FAILED at offset "
            + r.firstBadOffset().orElse(-1L)
            + ": "
            + r.reason()
            + " ("
            + r.records()
            + " records verified before it)");
  }

  private boolean json() {
    if (output == null || output.equals("table")) {
      return false;
    }
    if (output.equals("json")) {
      return true;
    }
    throw CliException.usage("--output must be json or table, not " + output);
  }

  private int failed(String message) {
    if (json()) {
      spec.commandLine()
          .getOut()
          .println(
              ClientOptions.Pretty.MAPPER.writeValueAsString(
                  java.util.Map.of("ok", false, "reason", message)));
      spec.commandLine().getOut().flush();
      return 3;
    }
    spec.commandLine().getErr().println(message);
    spec.commandLine().getErr().flush();
    return 3;
  }

  /** The lines of the file: its records, one a line; a last line without a newline counts. */
  private static long lines(byte[] bytes) {
    long n = 0;
    for (byte b : bytes) {
      if (b == '\n') {
        n++;
      }
    }
    return bytes.length > 0 && bytes[bytes.length - 1] != '\n' ? n + 1 : n;
  }

  private static io.secretsapi.audit.AuditCheckpoints.Checkpoint checkpointOf(
      tools.jackson.databind.JsonNode c) {
    return new io.secretsapi.audit.AuditCheckpoints.Checkpoint(
        c.get("tree_size").asLong(),
        c.get("root_hash").asString(),
        java.time.Instant.parse(c.get("time").asString()),
        c.get("kid").asString(),
        c.get("signature").asString());
  }
}
