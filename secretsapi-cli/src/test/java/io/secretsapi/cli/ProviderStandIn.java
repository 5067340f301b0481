package io.secretsapi.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A model provider's stand-in on loopback: records the credential each call carries and answers
 * {@code .../stream} with two server-sent events, the second only once the test has seen the first
 * (so a forwarder that held the answer back would hang), and anything else with a small JSON body.
 */
final class ProviderStandIn implements AutoCloseable {
  final HttpServer http;
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  final CountDownLatch firstEventSeen = new CountDownLatch(1);

  ProviderStandIn() throws IOException {
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.setExecutor(Executors.newCachedThreadPool());
    http.createContext("/", this::handle);
    http.start();
  }

  String host() {
    return "127.0.0.1:" + http.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
    ex.getRequestBody().readAllBytes();
    if (ex.getRequestURI().getPath().endsWith("/stream")) {
      ex.getResponseHeaders().add("Content-Type", "text/event-stream");
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      out.write("data: {\"n\":1}\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      try {
        firstEventSeen.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      out.write("data: {\"n\":2}\n\ndata: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
      out.close();
      ex.close();
      return;
    }
    byte[] b =
        "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\"}".getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(200, b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
