package io.secretsapi.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Containment across two nodes (issue 21, acceptance 3): on two brokers sharing one PostgreSQL,
 * each run makes a secret with {@code grants} live grants, opens a proxied stream on each node,
 * runs proxy load on both nodes with those grants, then opens an incident on node A and times, from
 * the moment the request is sent: node A's steps 1-3 (its timeline), node B refusing a contained
 * grant (introspection inactive) and a new grant of the secret, and each node's stream cut. It
 * counts load calls granted (200) that were sent after the incident's answer arrived: must be 0.
 *
 * <pre>
 * java -cp secretsapi-bench.jar io.secretsapi.bench.ContainmentBench URL_A URL_B KEY_FILE
 *     UPSTREAM_PORT [grants=1000] [runs=5] [load-threads=4]
 * </pre>
 */
public final class ContainmentBench {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String a;
  private final String b;
  private final String key;
  private final String upstream;

  private ContainmentBench(String a, String b, String key, String upstream) {
    this.a = a;
    this.b = b;
    this.key = key;
    this.upstream = upstream;
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[3]);
    int grants = args.length > 4 ? Integer.parseInt(args[4]) : 1000;
    int runs = args.length > 5 ? Integer.parseInt(args[5]) : 5;
    int threads = args.length > 6 ? Integer.parseInt(args[6]) : 4;
    HttpServer up = upstream(port);
    try {
      new ContainmentBench(
              args[0], args[1], Files.readString(Path.of(args[2])).trim(), "127.0.0.1:" + port)
          .run(grants, runs, threads);
    } catch (Exception e) {
      e.printStackTrace();
      up.stop(0);
      System.exit(1);
    } finally {
      up.stop(0);
      System.exit(0);
    }
  }

  /** A loopback upstream: {@code /v1/hold} streams one event and holds; anything else, 200. */
  private static HttpServer upstream(int port) throws Exception {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 200);
    s.setExecutor(Executors.newCachedThreadPool());
    s.createContext(
        "/",
        x -> {
          x.getRequestBody().readAllBytes();
          if (x.getRequestURI().getPath().startsWith("/v1/hold")) {
            x.getResponseHeaders().set("Content-Type", "text/event-stream");
            x.sendResponseHeaders(200, 0);
            OutputStream out = x.getResponseBody();
            out.write("data: {\"n\":1}\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            try {
              for (int i = 0; i < 600; i++) {
                Thread.sleep(100);
                out.write(": keep\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
              }
            } catch (Exception cut) {
              // the broker cut the stream
            }
            x.close();
            return;
          }
          byte[] ok = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
          x.getResponseHeaders().set("Content-Type", "application/json");
          x.sendResponseHeaders(200, ok.length);
          x.getResponseBody().write(ok);
          x.close();
        });
    s.start();
    return s;
  }

  private void run(int grants, int runs, int threads) throws Exception {
    send(
        a,
        "PUT",
        "/policies/KEY-SCOPE-17",
        "rules:\n  - id: root-all\n    effect: allow\n    principals: [root]\n"
            + "    operations: ['*']\n",
        "application/yaml");
    System.out.println(
        "| run | grants | load calls | A steps 1-3 (server) ms | POST answered ms | B refuses"
            + " contained grant ms | B refuses new grant ms | stream A cut ms | stream B cut ms"
            + " | every node, steps 1-3 ms | granted after commit | A took per step 1/2/3/4/5/6 ms"
            + " |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (int r = 1; r <= runs; r++) {
      once(r, grants, threads);
    }
  }

  private void once(int run, int grants, int threads) throws Exception {
    String secret =
        call(
                a,
                "POST",
                "/secrets",
                "{\"name\":\"contain-"
                    + run
                    + "-"
                    + System.nanoTime()
                    + "\",\"provider\":\"openai\","
                    + "\"resource_class\":\"model-access\",\"environment\":\"production\","
                    + "\"kind\":\"generated\"}")
            .get("id")
            .asString();
    call(
        a,
        "POST",
        "/secrets/" + secret + "/scope",
        "{\"name\":\"proxy\",\"operations\":[\"proxy\"],\"upstream\":{\"hosts\":[\""
            + upstream
            + "\"],\"methods\":[\"GET\",\"POST\"],\"path_prefixes\":[\"/v1\"]},"
            + "\"max_ttl\":\"15m\"}");
    String issue =
        "{\"secret_id\":\""
            + secret
            + "\",\"scope\":\"proxy\",\"ttl\":\"10m\","
            + "\"environment\":\"production\"}";
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<String>> made = new ArrayList<>();
    for (int i = 0; i < grants; i++) {
      made.add(pool.submit(() -> call(a, "POST", "/tokens/issue", issue).get("token").asString()));
    }
    List<String> tokens = new ArrayList<>();
    for (Future<String> f : made) {
      tokens.add(f.get());
    }
    pool.shutdown();
    long[] cutA = {0};
    long[] cutB = {0};
    long[] start = {0};
    Thread sa = stream(a, tokens.get(0), cutA, start);
    Thread sb = stream(b, tokens.get(1), cutB, start);

    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong answeredAt = new AtomicLong(Long.MAX_VALUE);
    AtomicLong late = new AtomicLong();
    AtomicLong calls = new AtomicLong();
    List<Thread> load = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int n = t;
      Thread th =
          new Thread(
              () -> {
                while (!stop.get()) {
                  String tok =
                      tokens.get(2 + ThreadLocalRandom.current().nextInt(tokens.size() - 2));
                  long sent = System.nanoTime();
                  int status = proxy(n % 2 == 0 ? a : b, tok);
                  calls.incrementAndGet();
                  if (status == 200 && sent > answeredAt.get()) {
                    late.incrementAndGet();
                  }
                }
              });
      th.start();
      load.add(th);
    }
    Thread.sleep(500); // load running
    String probe = tokens.get(2);
    long t0 = System.nanoTime();
    start[0] = t0;
    long[] bRefuses = {-1};
    long[] bNewRefused = {-1};
    Thread onB =
        new Thread(
            () -> {
              while (bRefuses[0] < 0 && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10)) {
                JsonNode in =
                    call(b, "POST", "/tokens/introspect", "{\"token\":\"" + probe + "\"}");
                if (!in.get("active").asBoolean()) {
                  bRefuses[0] = System.nanoTime() - t0;
                }
              }
              while (bNewRefused[0] < 0 && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10)) {
                int st = send(b, "POST", "/tokens/issue", issue, "application/json").statusCode();
                if (st == 409 || st == 403) {
                  bNewRefused[0] = System.nanoTime() - t0;
                }
              }
            });
    onB.start();
    JsonNode in =
        call(
            a,
            "POST",
            "/incidents",
            "{\"secret_id\":\"" + secret + "\",\"reason\":\"benchmark run " + run + "\"}");
    long answered = System.nanoTime();
    answeredAt.set(answered);
    onB.join();
    sa.join(10_000);
    sb.join(10_000);
    Thread.sleep(300); // load goes on past the commit
    stop.set(true);
    for (Thread th : load) {
      th.join();
    }
    JsonNode step3 = in.get("timeline").get(2);
    long steps = step3.get("at_ms").asLong() + step3.get("took_ms").asLong();
    long every =
        Math.max(Math.max(ms(bRefuses[0]), ms(bNewRefused[0])), Math.max(ms(cutA[0]), ms(cutB[0])));
    every = Math.max(every, steps);
    System.out.printf(
        "| %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %s |%n",
        run,
        grants,
        calls.get(),
        steps,
        ms(answered - t0),
        ms(bRefuses[0]),
        ms(bNewRefused[0]),
        ms(cutA[0]),
        ms(cutB[0]),
        every,
        late.get(),
        took(in));
    call(a, "POST", "/incidents/" + in.get("id").asString() + "/close", "{\"note\":\"bench\"}");
  }

  private static String took(JsonNode in) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      b.append(i == 0 ? "" : "/").append(in.get("timeline").get(i).get("took_ms").asLong());
    }
    return b.toString();
  }

  private static long ms(long nanos) {
    return nanos < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  /** Opens a proxied stream; records, from {@code start[0]}, when it ends. */
  private Thread stream(String node, String token, long[] cut, long[] start) throws Exception {
    HttpResponse<InputStream> r =
        http.send(
            HttpRequest.newBuilder(URI.create(node + "/proxy/" + upstream + "/v1/hold"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}"))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("stream on " + node + " answered " + r.statusCode());
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
    in.readLine();
    Thread t =
        new Thread(
            () -> {
              try {
                while (in.readLine() != null) {
                  // keep reading until the broker cuts it
                }
              } catch (Exception ended) {
                // cut
              }
              cut[0] = System.nanoTime() - start[0];
            });
    t.start();
    return t;
  }

  private int proxy(String node, String token) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(node + "/proxy/" + upstream + "/v1/x"))
                  .header("Authorization", "Bearer " + token)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private JsonNode call(String node, String method, String path, String body) {
    HttpResponse<String> r = send(node, method, path, body, "application/json");
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> send(
      String node, String method, String path, String body, String type) {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create(node + path))
              .header("Authorization", "Bearer " + key)
              .header("Content-Type", type)
              .method(method, HttpRequest.BodyPublishers.ofString(body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(method + " " + path + ": " + e, e);
    }
  }
}
