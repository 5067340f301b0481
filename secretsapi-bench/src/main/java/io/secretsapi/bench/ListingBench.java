package io.secretsapi.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Times the listings over HTTP on loopback against a seeded broker ({@link ListingSeed}): each
 * listing and filter at its first page, half depth and last page, reached by following next_cursor
 * (limit 500) from the first. Prints, per row, the median and maximum of the client's round trip
 * over {@code runs} requests of 50 items, the server's mean time for the same requests (from the
 * broker's own per-route histogram on /metrics), and how deep the listing goes. Then the same for
 * the console's vault, token and audit pages, logged in with the same key, at the depths of the API
 * listing each shows.
 *
 * <pre>
 * java -cp secretsapi-bench.jar io.secretsapi.bench.ListingBench http://127.0.0.1:PORT KEY_FILE [runs]
 * </pre>
 */
public final class ListingBench {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient http = HttpClient.newHttpClient();
  private final HttpClient browser =
      HttpClient.newBuilder()
          .cookieHandler(new java.net.CookieManager())
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final String addr;
  private final String key;
  private final int runs;

  private ListingBench(String addr, String key, int runs) {
    this.addr = addr;
    this.key = key;
    this.runs = runs;
  }

  public static void main(String[] args) throws Exception {
    String key = Files.readString(Path.of(args[1])).trim();
    new ListingBench(args[0], key, args.length > 2 ? Integer.parseInt(args[2]) : 15).run();
  }

  private void run() throws Exception {
    System.out.println(
        "| listing | filter | depth | pages of 500 | client p50 ms | client max ms | server mean ms |");
    System.out.println("|---|---|---|---|---|---|---|");
    time("/health/live", "floor", "", "-", false);
    String secret = get("/secrets?limit=1&sort=created").get("items").get(0).get("id").asString();
    String busy = busiestSecret();
    String token =
        get("/tokens?limit=1&secret_id=" + busy).get("items").get(0).get("token_id").asString();
    String eb = java.time.Instant.now().minus(java.time.Duration.ofDays(15)).toString();
    for (String f :
        List.of(
            "",
            "secret_id=" + busy,
            "principal=agent-runtime-7",
            "principal=operator-3",
            "status=active",
            "status=expired",
            "status=revoked",
            "expiring_before=" + enc(eb),
            "principal=agent-runtime-7&status=revoked")) {
      depths("/tokens", f);
    }
    for (String f :
        List.of(
            "",
            "sort=name",
            "sort=created",
            "environment=production",
            "resource_class=payments",
            "owner=team-7",
            "environment=staging&resource_class=cdn",
            "name=svc-004242")) {
      depths("/secrets", f);
    }
    for (String f :
        List.of(
            "",
            "secret_id=" + busy,
            "secret_id=" + secret,
            "token_id=" + token,
            "principal=agent-runtime-7",
            "type=token.refuse",
            "from=500000")) {
      depths("/audit/trail", f);
    }
    logIn();
    String[][] vault = {
      {"status=active&sort=last_access", ""},
      {"status=active&sort=name", "sort=name"},
      {"status=active&sort=last_access&resource_class=payments", "scope=payments"},
      {
        "status=active&sort=last_access&environment=staging&resource_class=cdn",
        "scope=cdn&env=staging"
      }
    };
    for (String[] f : vault) {
      consoleDepths("/secrets", f[0], "/console/secrets", f[1]);
    }
    for (String f :
        List.of(
            "",
            "secret_id=" + busy,
            "principal=agent-runtime-7",
            "status=active",
            "status=revoked")) {
      consoleDepths("/tokens", f, "/console/tokens", f);
    }
    for (String f : List.of("", "secret_id=" + busy, "type=token.refuse", "from=500000")) {
      consoleDepths(
          "/audit/trail", f, "/console/audit", f.isEmpty() ? "limit=50" : f + "&limit=50");
    }
    // the check under the audit page's records, after a signed checkpoint of the whole trail
    post("/audit/checkpoints");
    for (String f : List.of("", "secret_id=" + busy)) {
      consoleDepths(
          "/audit/trail", f, "/console/audit/verify", f.isEmpty() ? "limit=50" : f + "&limit=50");
    }
  }

  /** The first seeded secret, which one token in fifty is for ({@link SeedRows}). */
  private String busiestSecret() throws Exception {
    return get("/secrets?name=svc-000000").get("items").get(0).get("id").asString();
  }

  /** Follows the listing to its end by 500s, then times its first, middle and last page. */
  private void depths(String path, String filter) throws Exception {
    String label = filter.isEmpty() ? "(none)" : filter;
    atDepths(
        path, filter, path, filter.isEmpty() ? "limit=50" : "limit=50&" + filter, label, false);
  }

  /**
   * Times a console page at the first, middle and last page of the API listing it shows: the
   * console's page takes the API's cursor for the same filters (design 0023), so the cursors found
   * by following the API listing are the console's own "next page" links at that depth.
   */
  private void consoleDepths(String apiPath, String apiFilter, String page, String pageFilter)
      throws Exception {
    String label = pageFilter.isEmpty() ? "(none)" : pageFilter;
    atDepths(apiPath, apiFilter, page, pageFilter, label, true);
  }

  /** Times {@code page?pageFilter} at the first, middle and last cursor of the API listing. */
  private void atDepths(
      String apiPath,
      String apiFilter,
      String page,
      String pageFilter,
      String label,
      boolean console)
      throws Exception {
    List<String> cursors = cursors(apiPath, apiFilter);
    int pages = cursors.size();
    String[] names = {"first", "half", "last"};
    String[] at = {null, cursors.get(pages / 2), cursors.get(pages - 1)};
    for (int d = 0; d < 3; d++) {
      if (d > 0 && pages == 1) {
        break;
      }
      String q =
          pageFilter + (at[d] == null ? "" : (pageFilter.isEmpty() ? "" : "&") + "cursor=" + at[d]);
      time(page + (q.isEmpty() ? "" : "?" + q), label, names[d], String.valueOf(pages), console);
    }
  }

  /** The cursor of every page of 500 of the listing, the first page's being null. */
  private List<String> cursors(String path, String filter) throws Exception {
    List<String> cursors = new ArrayList<>();
    cursors.add(null);
    String sep = filter.isEmpty() ? "" : "&";
    while (true) {
      String c = cursors.get(cursors.size() - 1);
      JsonNode page = get(path + "?limit=500" + sep + filter + (c == null ? "" : "&cursor=" + c));
      JsonNode next = page.get("next_cursor");
      if (next == null || next.isNull()) {
        return cursors;
      }
      cursors.add(next.asString());
    }
  }

  private void time(String target, String filter, String depth, String pages, boolean console)
      throws Exception {
    String route = target.split("\\?")[0];
    page(target, console); // once untimed: the JIT and caches of a path seen for the first time
    double[] before = serverTotals(route);
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t = System.nanoTime();
      page(target, console);
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    double[] after = serverTotals(route);
    double serverMean = (after[0] - before[0]) * 1000 / Math.max(1, after[1] - before[1]);
    Arrays.sort(ms);
    System.out.printf(
        Locale.ROOT,
        "| %s | %s | %s | %s | %.1f | %.1f | %.1f |%n",
        route,
        filter.length() > 48 ? filter.substring(0, 48) + "..." : filter,
        depth,
        pages,
        ms[runs / 2],
        ms[runs - 1],
        serverMean);
  }

  /** The sum of seconds and the count of GET 200s on {@code route} in the broker's histogram. */
  private double[] serverTotals(String route) throws Exception {
    String text = send("/metrics");
    double sum = 0;
    double count = 0;
    String labels = "method=\"GET\",route=\"" + route + "\",status=\"200\"";
    for (String line : text.split("\n")) {
      if (line.startsWith("secretsapi_http_requests_seconds_sum{") && line.contains(labels)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      } else if (line.startsWith("secretsapi_http_requests_seconds_count{")
          && line.contains(labels)) {
        count += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return new double[] {sum, count};
  }

  /** A page as its reader asks for it: the API with the key, the console with its session. */
  private void page(String target, boolean console) throws Exception {
    if (!console) {
      get(target);
      return;
    }
    HttpResponse<String> r =
        browser.send(
            HttpRequest.newBuilder(URI.create(addr + target)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    boolean whole =
        target.contains("/verify")
            ? r.body().contains("verified: ")
            : r.body().contains("id=\"showing\"") || r.body().contains("id=\"shown\"");
    if (r.statusCode() != 200 || !whole) {
      throw new IllegalStateException(target + " answered " + r.statusCode() + ": " + r.body());
    }
  }

  /** Logs the console's cookie client in with the key, as the login form does. */
  private void logIn() throws Exception {
    HttpResponse<String> r =
        browser.send(
            HttpRequest.newBuilder(URI.create(addr + "/console/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("api_key=" + enc(key)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 303) {
      throw new IllegalStateException("console login answered " + r.statusCode());
    }
  }

  private void post(String target) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(addr + target))
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(target + " answered " + r.statusCode() + ": " + r.body());
    }
  }

  private JsonNode get(String target) throws Exception {
    return JSON.readTree(send(target));
  }

  private String send(String target) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(addr + target))
            .header("Authorization", "Bearer " + key)
            .GET()
            .build();
    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(target + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
