package io.secretsapi.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code secretsapi audit export -o FILE}: GET /audit/export, written to a file. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Export the chain as JSON Lines (admin).")
final class AuditExportCommand implements Callable<Integer> {
  @Mixin ClientOptions opts;
  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--file"},
      required = true,
      description = "Where to write the export")
  Path file;

  @Option(
      names = "--from",
      defaultValue = "1",
      description = "First audit offset (default ${DEFAULT-VALUE})")
  long from;

  @Override
  public Integer call() throws Exception {
    var cp = opts.client().call("POST", "/audit/checkpoints", null);
    long to = cp.get("tree_size").asLong();
    var r = opts.client().send("GET", "/audit/export?from=" + from + "&to=" + to, null, null);
    if (r.status() != 200) {
      throw new io.secretsapi.client.ApiException(
          r.status(), tools.jackson.databind.json.JsonMapper.builder().build().readTree(r.body()));
    }
    Files.writeString(file, r.body(), StandardCharsets.UTF_8);
    long lines = r.body().chars().filter(c -> c == '\n').count();
    var receipt = new java.util.LinkedHashMap<String, Object>();
    receipt.put("filename", file.getFileName().toString());
    receipt.put("filters", java.util.Map.of("from", from, "to", to));
    receipt.put("count", lines);
    receipt.put(
        "sha256",
        java.util.HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest(r.body().getBytes(StandardCharsets.UTF_8))));
    receipt.put(
        "checkpoint",
        tools.jackson.databind.json.JsonMapper.builder()
            .build()
            .convertValue(cp, java.util.Map.class));
    Path receiptFile = Path.of(file + ".receipt.json");
    Files.writeString(
        receiptFile,
        tools.jackson.databind.json.JsonMapper.builder()
            .enable(tools.jackson.databind.SerializationFeature.INDENT_OUTPUT)
            .build()
            .writeValueAsString(receipt));
    spec.commandLine()
        .getOut()
        .println("wrote " + lines + " records to " + file + " and its receipt to " + receiptFile);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
