package io.secretsapi.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One {@code /metrics} answer in the Prometheus text format, read as samples: {@code name{labels}}
 * and its value. Enough of the format for tests: comments skipped, no escapes inside label values
 * (the broker's labels hold none).
 */
record Scrape(Map<String, Double> samples) {
  static Scrape of(String text) {
    Map<String, Double> samples = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return new Scrape(samples);
  }

  static Scrape of(TestServer s) {
    return of(s.anonymous().send("GET", "/metrics", null, null).body());
  }

  /** The sample names present ({@code secretsapi_grants_total}, without labels). */
  Set<String> names() {
    Set<String> names = new TreeSet<>();
    for (String series : samples.keySet()) {
      int brace = series.indexOf('{');
      names.add(brace < 0 ? series : series.substring(0, brace));
    }
    return names;
  }

  /** The sum of every sample of {@code name} whose series holds each of {@code labels}. */
  double sum(String name, String... labels) {
    double total = 0;
    for (Map.Entry<String, Double> e : samples.entrySet()) {
      String series = e.getKey();
      if (!series.equals(name) && !series.startsWith(name + "{")) {
        continue;
      }
      boolean all = true;
      for (String l : labels) {
        all &= series.contains(l);
      }
      if (all) {
        total += e.getValue();
      }
    }
    return total;
  }

  /** The series of {@code name}, with their labels. */
  Set<String> series(String name) {
    Set<String> out = new TreeSet<>();
    for (String series : samples.keySet()) {
      if (series.equals(name) || series.startsWith(name + "{")) {
        out.add(series);
      }
    }
    return out;
  }
}
