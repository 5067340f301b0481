package io.secretsapi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code secretsapi run} in a JVM of its own, as a user starts it (the API key in {@code
 * SECRETSAPI_TOKEN}), stopped by a signal while its command runs: the signal reaches the command,
 * run waits for it, revokes, and exits with the command's code.
 */
class RunSignalTest {
  @ParameterizedTest
  @CsvSource({"TERM, 143", "INT, 130"})
  void run_receivesSignal_passesItToTheCommandWaitsAndRevokes(String signal, int code)
      throws Exception {
    try (RunFixture f = new RunFixture()) {
      String java = ProcessHandle.current().info().command().orElse("java");
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  Main.class.getName(),
                  "run",
                  "--secret",
                  "openai-prod-key",
                  "--scope",
                  "model-access",
                  "--ttl",
                  "5m",
                  "--"));
      cmd.addAll(RunFixture.child(f.dir, 1, 0, "wait"));
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .redirectOutput(f.dir.resolve("run.out").toFile())
              .redirectError(f.dir.resolve("run.err").toFile());
      pb.environment().put("SECRETSAPI_TOKEN", f.server.rootKey());
      pb.environment().put("SECRETSAPI_ADDR", f.server.server().baseUrl());
      pb.environment().put("SOME_COPY_OF_THE_KEY", "x" + f.server.rootKey());
      Process run = pb.start();
      Path ready = f.dir.resolve("ready");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.exists(ready) && run.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(ready).as(Files.readString(f.dir.resolve("run.err"))).exists();
      long childPid = Long.parseLong(Files.readString(ready).strip());

      new ProcessBuilder("kill", "-s", signal, Long.toString(run.pid())).start().waitFor();

      assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(run.exitValue()).as(Files.readString(f.dir.resolve("run.err"))).isEqualTo(code);
      assertThat(ProcessHandle.of(childPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(Files.readString(f.dir.resolve("calls.txt"))).startsWith("200 ");
      String env = Files.readString(f.dir.resolve("env.txt"));
      assertThat(env)
          .doesNotContain(f.server.rootKey())
          .doesNotContain(RunFixture.KEY)
          .doesNotContain("SECRETSAPI_TOKEN=")
          .doesNotContain("SOME_COPY_OF_THE_KEY")
          .contains("OPENAI_API_KEY=ey");
      assertThat(f.tokens())
          .isNotEmpty()
          .allSatisfy(t -> assertThat(t.get("status").asString()).isEqualTo("revoked"));
    }
  }
}
