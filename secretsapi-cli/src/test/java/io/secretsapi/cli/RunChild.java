package io.secretsapi.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Collectors;

/**
 * The command {@code secretsapi run} starts in the tests, as an agent would be: it writes its whole
 * environment to {@code DIR/env.txt}, calls the chat completions endpoint through {@code
 * OPENAI_BASE_URL} with {@code OPENAI_API_KEY} CALLS times, PAUSE ms apart, appending each status
 * to {@code DIR/calls.txt}, and exits with CODE; CODE {@code wait} writes {@code DIR/ready} and
 * sleeps.
 *
 * <p>Usage: {@code RunChild DIR CALLS PAUSE CODE}. Only the JDK is on its class path.
 */
public final class RunChild {
  private RunChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int calls = Integer.parseInt(args[1]);
    long pause = Long.parseLong(args[2]);
    Files.writeString(
        dir.resolve("env.txt"),
        System.getenv().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("\n")));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String base = System.getenv("OPENAI_BASE_URL");
    String key = System.getenv("OPENAI_API_KEY");
    for (int i = 0; i < calls; i++) {
      if (i > 0) {
        Thread.sleep(pause);
      }
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
                  .header("Authorization", "Bearer " + key)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Files.writeString(
          dir.resolve("calls.txt"),
          r.statusCode() + " " + r.body().replace('\n', ' ') + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
    if (args[3].equals("wait")) {
      Files.writeString(dir.resolve("ready"), Long.toString(ProcessHandle.current().pid()));
      Thread.sleep(120_000);
    }
    System.exit(Integer.parseInt(args[3]));
  }
}
