package io.secretsapi.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A provider stand-in on loopback for the proxy's tests: records each request it receives (headers,
 * path, query, method, body) and answers by path: {@code .../redirect} redirects to the metadata
 * address, {@code .../stream} streams two server-sent events and waits between them until the test
 * has seen the first, and anything else is a 400 whose body and headers echo the credentials and
 * the query it received, as careless upstreams do.
 */
final class LoopbackUpstream implements AutoCloseable {
  final HttpServer http;
  final List<Map<String, String>> got = new CopyOnWriteArrayList<>();
  final CountDownLatch firstChunkSeen = new CountDownLatch(1);
  final AtomicBoolean lastSent = new AtomicBoolean();

  LoopbackUpstream() throws Exception {
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    http.createContext("/", this::handle);
    http.start();
  }

  String host() {
    return "127.0.0.1:" + http.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws java.io.IOException {
    Map<String, String> seen = new HashMap<>();
    ex.getRequestHeaders().forEach((k, v) -> seen.put(k.toLowerCase(), String.join(",", v)));
    seen.put(":path", ex.getRequestURI().getRawPath());
    seen.put(":query", String.valueOf(ex.getRequestURI().getRawQuery()));
    seen.put(":method", ex.getRequestMethod());
    seen.put(":body", new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    got.add(seen);
    String path = ex.getRequestURI().getPath();
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
      ex.getResponseHeaders().add("ETag", "\"v1\"");
      ex.sendResponseHeaders(200, -1);
      ex.close();
      return;
    }
    if (ex.getRequestMethod().equals("OPTIONS")) {
      ex.getResponseHeaders().add("Allow", "GET, HEAD, OPTIONS");
      ex.sendResponseHeaders(204, -1);
      ex.close();
      return;
    }
    if (path.endsWith("/redirect")) {
      ex.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data");
      ex.sendResponseHeaders(302, -1);
      ex.close();
      return;
    }
    if (path.endsWith("/stream")) {
      ex.getResponseHeaders().add("Content-Type", "text/event-stream");
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      out.write("data: first\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      try {
        firstChunkSeen.await(10, TimeUnit.SECONDS);
        Thread.sleep(path.contains("slow") ? 3000 : 0);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      lastSent.set(true);
      try {
        out.write("data: last\n\n".getBytes(StandardCharsets.UTF_8));
        out.close();
      } catch (java.io.IOException gone) {
        // the proxy cut the stream
      }
      ex.close();
      return;
    }
    // An error page that echoes the credentials it received, as careless upstreams do.
    String echo =
        "{\"error\":\"bad request\",\"you_sent\":"
            + ProxyHttpTest.JSON.writeValueAsString(
                Map.of(
                    "authorization", seen.getOrDefault("authorization", ""),
                    "x-api-key", seen.getOrDefault("x-api-key", ""),
                    "shopify", seen.getOrDefault("x-shopify-access-token", ""),
                    "api-key", seen.getOrDefault("api-key", ""),
                    "query", seen.get(":query")))
            + "}";
    byte[] b = echo.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.getResponseHeaders().add("X-Echo", seen.getOrDefault("x-api-key", "none"));
    ex.sendResponseHeaders(400, b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
