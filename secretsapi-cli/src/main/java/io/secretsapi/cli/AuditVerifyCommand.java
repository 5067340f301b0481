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
        "Verify an exported chain offline: canonical records, gap-free offsets, hash links.")
final class AuditVerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "An export made by 'secretsapi audit export'")
  Path file;

  @Option(
      names = "--prev",
      description =
          "The leaf hash before the first record (default: genesis, for an export from 1)")
  String prev;

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
      return 1;
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
      var rc = json.readTree(Files.readString(receipt));
      String sha =
          java.util.HexFormat.of()
              .formatHex(
                  java.security.MessageDigest.getInstance("SHA-256")
                      .digest(Files.readAllBytes(file)));
      if (!sha.equals(rc.get("sha256").asString())) {
        spec.commandLine()
            .getErr()
            .println(
                "FAILED: the file's SHA-256 is not the receipt's ("
                    + r.records()
                    + " records read)"
                    + (r.ok() ? "" : "; first bad offset " + r.firstBadOffset().orElse(-1L)));
        return 3;
      }
      cps.add(0, checkpointOf(rc.get("checkpoint")));
    }
    if (!cps.isEmpty()) {
      r = v.checkpoints(cps, com.nimbusds.jose.jwk.JWKSet.load(publicKey.toFile()));
    }
    if (r.ok()) {
      spec.commandLine()
          .getOut()
          .println(
              "ok: "
                  + r.records()
                  + " records, last leaf hash "
                  + r.lastLeafHash()
                  + (cps.isEmpty() ? "" : "; " + r.reason()));
      spec.commandLine().getOut().flush();
      return 0;
    }
    spec.commandLine()
        .getErr()
        .println(
            "FAILED at offset "
                + r.firstBadOffset().orElse(-1L)
                + ": "
                + r.reason()
                + " ("
                + r.records()
                + " records verified before it)");
    spec.commandLine().getErr().flush();
    return 3;
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
