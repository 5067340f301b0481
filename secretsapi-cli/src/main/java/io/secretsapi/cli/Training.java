package io.secretsapi.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The training run the launcher records its start-up cache from: the CLI's common paths (the
 * command tree, a list as a table and as JSON, a create, a refusal) against a stub broker on
 * loopback that answers canned JSON. It reaches no real broker and keeps nothing.
 */
final class Training {
  private Training() {}

  public static void main(String[] args) throws IOException {
    HttpServer stub =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    stub.createContext(
        "/",
        exchange -> {
          boolean refuse = exchange.getRequestURI().getPath().contains("refused");
          String body =
              refuse
                  ? "{\"type\":\"https://secretsapi.dev/problems/not-found\",\"title\":\"Not"
                      + " found\",\"status\":404,\"detail\":\"no such secret\"}"
                  : "{\"items\":[{\"id\":\"sec_training\",\"name\":\"training\",\"provider\":"
                      + "\"openai\",\"created_at\":\"2026-01-01T00:00:00Z\",\"versions\":1}],"
                      + "\"total\":1,\"id\":\"sec_training\",\"name\":\"training\"}";
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange
              .getResponseHeaders()
              .add("Content-Type", refuse ? "application/problem+json" : "application/json");
          exchange.sendResponseHeaders(refuse ? 404 : 200, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    stub.start();
    String addr = "http://127.0.0.1:" + stub.getAddress().getPort();
    String key = "sk_training000000000_" + "x".repeat(43);
    PrintWriter sink = new PrintWriter(OutputStream.nullOutputStream(), true);
    List<String[]> calls = new ArrayList<>();
    calls.add(new String[] {"--help"});
    for (Class<?> c : Main.COMMANDS) {
      calls.add(new String[] {c.getAnnotation(picocli.CommandLine.Command.class).name(), "--help"});
    }
    calls.add(new String[] {"secret", "list", "--addr", addr, "--token", key});
    calls.add(new String[] {"secret", "list", "--addr", addr, "--token", key, "-o", "json"});
    calls.add(new String[] {"secret", "get", "sec_training", "--addr", addr, "--token", key});
    calls.add(new String[] {"secret", "get", "refused", "--addr", addr, "--token", key});
    calls.add(
        new String[] {"service-account", "list", "--addr", addr, "--token", key, "-o", "json"});
    try {
      for (String[] call : calls) {
        Main.run(sink, sink, call);
      }
    } finally {
      stub.stop(0);
    }
  }
}
