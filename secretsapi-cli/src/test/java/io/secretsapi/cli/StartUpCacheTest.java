package io.secretsapi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The launcher starts client commands from a start-up cache (CDS or AOT) trained on {@link
 * Training}. The JVM leaves out of that cache any class older than Java 6's format (version 50),
 * and loads and verifies those from the jar on every run: picocli's own jar was such a case (a
 * quarter of each command's time). This runs the training in a child JVM and checks every class it
 * loads from the application's class path.
 */
class StartUpCacheTest {
  private static final Pattern LOADED =
      Pattern.compile("^\\[[^]]*] (\\S+) source: (?:file|jar):.*$", Pattern.MULTILINE);

  @Test
  void training_everyClassItLoads_isNewEnoughForTheStartUpCache() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-Xlog:class+load=info:stdout:uptime",
                "-cp",
                System.getProperty("java.class.path"),
                Training.class.getName())
            .redirectErrorStream(true)
            .start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(log).isZero();

    List<String> loaded = new ArrayList<>();
    Matcher m = LOADED.matcher(log);
    while (m.find()) {
      loaded.add(m.group(1));
    }
    TreeSet<String> tooOld = new TreeSet<>();
    for (String name : loaded) {
      if (major(name) < 50) {
        tooOld.add(name.replaceAll("\\.[^.]*$", ".*"));
      }
    }

    assertThat(loaded)
        .as("classes the training loads from the class path")
        .contains("picocli.CommandLine", "io.secretsapi.client.SecretsApiClient");
    assertThat(tooOld).as("packages the start-up cache cannot hold").isEmpty();
  }

  private static int major(String className) throws IOException {
    String resource = className.replace('.', '/') + ".class";
    try (InputStream in = ClassLoader.getSystemResourceAsStream(resource)) {
      if (in == null) { // a hidden or generated class: not read from a file of ours
        return Integer.MAX_VALUE;
      }
      DataInputStream d = new DataInputStream(in);
      d.readInt(); // magic
      d.readUnsignedShort(); // minor
      return d.readUnsignedShort();
    }
  }
}
