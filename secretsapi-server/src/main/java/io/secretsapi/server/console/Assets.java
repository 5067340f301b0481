package io.secretsapi.server.console;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The console's static files under {@code /console/assets/}: htmx and its SSE extension from their
 * webjars, and the console's own stylesheet and script. A fixed list, read once: no path from a
 * request ever reaches the class path.
 */
final class Assets {
  private static final Map<String, String> FILES =
      Map.of(
          "htmx.min.js", "/META-INF/resources/webjars/htmx.org/2.0.10/dist/htmx.min.js",
          "sse.js", "/META-INF/resources/webjars/htmx-ext-sse/2.2.2/sse.js",
          "console.js", "/console/console.js",
          "console.css", "/console/console.css",
          "favicon.svg", "/console/favicon.svg");

  private Assets() {}

  static void register(ConsoleHttp http) {
    FILES.forEach(
        (name, resource) -> {
          byte[] body = read(resource);
          String type =
              name.endsWith(".css")
                  ? "text/css; charset=utf-8"
                  : name.endsWith(".svg") ? "image/svg+xml" : "text/javascript; charset=utf-8";
          http.open("GET", "/console/assets/" + name, ctx -> serve(ctx, type, body));
        });
  }

  private static void serve(Context ctx, String type, byte[] body) {
    // the file names carry no version: no-store keeps a changed console.js from being stale
    ctx.contentType(type).result(body);
  }

  private static byte[] read(String resource) {
    try (InputStream in = Assets.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("console asset missing from the class path: " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read console asset " + resource, e);
    }
  }
}
