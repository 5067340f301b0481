package io.secretsapi.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads a secret value from a file or standard input, so it stays out of shell history. */
final class SecretValues {
  private SecretValues() {}

  static Optional<String> read(String value, String valueFile) {
    if (value != null && valueFile != null) {
      throw CliException.usage("give --value or --value-file, not both");
    }
    if (valueFile == null) {
      return Optional.ofNullable(value);
    }
    try {
      String v =
          valueFile.equals("-")
              ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
              : Files.readString(Path.of(valueFile), StandardCharsets.UTF_8);
      return Optional.of(v.endsWith("\n") ? v.substring(0, v.length() - 1) : v);
    } catch (IOException e) {
      throw CliException.usage("cannot read the value from " + valueFile + ": " + e.getMessage());
    }
  }

  /**
   * Writes the credential at {@code field} of an answer to {@code file}, readable by its owner
   * only, and answers the rest with the field saying where it went: a key or token kept out of the
   * terminal and its scrollback.
   */
  static tools.jackson.databind.JsonNode writeOut(
      tools.jackson.databind.JsonNode answer, String field, String file) {
    if (file == null) {
      return answer;
    }
    Path path = Path.of(file);
    try {
      Files.deleteIfExists(path);
      try {
        Files.createFile(
            path,
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(path);
      }
      Files.writeString(path, answer.get(field).asString() + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CliException.usage("cannot write " + file + ": " + e.getMessage());
    }
    var rest = (tools.jackson.databind.node.ObjectNode) answer.deepCopy();
    rest.put(field, "written to " + file);
    return rest;
  }
}
