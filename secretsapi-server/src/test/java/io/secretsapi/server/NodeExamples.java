package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The Node examples the official-SDK tests run ({@code examples/openai-node}, {@code
 * examples/mcp-node}): {@code node} must be on the PATH (on CI it must; elsewhere the test is
 * skipped, saying so), and each example's pinned packages are installed with {@code npm ci} when
 * missing.
 */
final class NodeExamples {
  private NodeExamples() {}

  /** The example directory {@code name} under the repository's {@code examples}. */
  static Path example(String name) {
    return Path.of("").toAbsolutePath().getParent().resolve("examples").resolve(name);
  }

  /** Skips the test (fails it on CI) when {@code node} is not on the PATH; {@code what} checks. */
  static void requireNode(String what) {
    boolean found;
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      found = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      found = false;
    }
    if (!found && System.getenv("CI") != null) {
      fail("node is not on the PATH on CI: .ci/run installs Debian's nodejs and npm when missing");
    }
    Assumptions.assumeTrue(
        found,
        "SKIPPED: node is not on the PATH, so "
            + what
            + " did not run (install nodejs and npm; on CI this fails instead)");
  }

  /** {@code npm ci} in {@code example} unless {@code node_modules/<module>} is there already. */
  static void install(Path example, String module) throws Exception {
    assertThat(example.resolve("package-lock.json")).exists();
    if (Files.isDirectory(example.resolve("node_modules").resolve(module))) {
      return;
    }
    Process npm =
        new ProcessBuilder(List.of("npm", "ci", "--no-audit", "--no-fund"))
            .directory(example.toFile())
            .redirectErrorStream(true)
            .start();
    String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(npm.waitFor(5, TimeUnit.MINUTES)).as("npm ci ends").isTrue();
    assertThat(npm.exitValue()).as("npm ci: " + log).isZero();
  }
}
