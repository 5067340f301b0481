package io.secretsapi.cli;

import io.secretsapi.audit.AuditLog;
import io.secretsapi.audit.AuditVerifier;
import java.io.BufferedReader;
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

  @Override
  public Integer call() throws Exception {
    AuditVerifier v = null;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (v == null) {
          long first = Long.parseLong(line.replaceAll(".*\"offset\":([0-9]+).*", "$1"));
          String before = prev != null ? prev : first == 1 ? AuditLog.GENESIS : null;
          v = before == null ? new AuditVerifier() : new AuditVerifier(first, before);
        }
        if (!v.accept(line)) {
          break;
        }
      }
    }
    if (v == null) {
      spec.commandLine().getErr().println("error: " + file + " holds no records");
      return 1;
    }
    AuditVerifier.Result r = v.result();
    if (r.ok()) {
      spec.commandLine()
          .getOut()
          .println("ok: " + r.records() + " records, last leaf hash " + r.lastLeafHash());
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
}
