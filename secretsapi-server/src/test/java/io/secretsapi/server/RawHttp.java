package io.secretsapi.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests no client library would send: a target that is not a
 * valid URI ({@code %u0041}, {@code %00}, raw non-ASCII), a body that is not UTF-8.
 */
final class RawHttp {
  private RawHttp() {}

  /**
   * An answer: status, headers (names lowercase; the last line of a name wins), every header line
   * as sent, in order, and the body.
   */
  record Answer(
      int status, Map<String, String> headers, List<Map.Entry<String, String>> lines, String body) {
    String contentType() {
      return headers.getOrDefault("content-type", "");
    }

    /** How many header lines carry {@code name} (any case). */
    long count(String name) {
      return lines.stream().filter(l -> l.getKey().equalsIgnoreCase(name)).count();
    }

    /** The values of the header lines named {@code name} (any case), in order. */
    List<String> values(String name) {
      return lines.stream()
          .filter(l -> l.getKey().equalsIgnoreCase(name))
          .map(Map.Entry::getValue)
          .toList();
    }
  }

  static Answer send(int port, String method, String target, String bearer, byte[] body)
      throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(15_000);
      ByteArrayOutputStream req = new ByteArrayOutputStream();
      String head =
          method
              + " "
              + target
              + " HTTP/1.1\r\nHost: 127.0.0.1:"
              + port
              + "\r\nConnection: close\r\n"
              + (bearer == null ? "" : "Authorization: Bearer " + bearer + "\r\n")
              + (body == null
                  ? ""
                  : "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n")
              + "\r\n";
      req.writeBytes(head.getBytes(StandardCharsets.UTF_8));
      if (body != null) {
        req.writeBytes(body);
      }
      OutputStream out = s.getOutputStream();
      out.write(req.toByteArray());
      out.flush();
      return read(new java.io.BufferedInputStream(s.getInputStream()), false);
    }
  }

  /**
   * One exchange with the given extra header lines, read to the end of the answer, event streams
   * included (the request says {@code Connection: close}).
   */
  static Answer exchange(
      int port, String method, String target, Map<String, String> headers, byte[] body)
      throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(15_000);
      StringBuilder head =
          new StringBuilder(
              method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
      head.append("Connection: close\r\n");
      headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      if (body != null) {
        head.append("Content-Length: ").append(body.length).append("\r\n");
      }
      head.append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.UTF_8));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      return read(new java.io.BufferedInputStream(s.getInputStream()), true);
    }
  }

  /** Reads one answer: up to its length, its last chunk, or its headers for an event stream. */
  private static Answer read(InputStream in, boolean wholeStream) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      head.write(c);
      byte[] h = head.toByteArray();
      int n = h.length;
      if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
        break;
      }
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    if (!text.endsWith("\r\n\r\n")) {
      throw new IOException("no complete answer: " + text);
    }
    String[] lines = text.substring(0, text.length() - 4).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    List<Map.Entry<String, String>> all = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      String name = lines[i].substring(0, colon).trim();
      String value = lines[i].substring(colon + 1).trim();
      headers.put(name.toLowerCase(Locale.ROOT), value);
      all.add(Map.entry(name, value));
    }
    byte[] body;
    if (!wholeStream && headers.getOrDefault("content-type", "").startsWith("text/event-stream")) {
      body = new byte[0];
    } else if (headers.containsKey("content-length")) {
      body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = dechunk(in);
    } else {
      body = in.readAllBytes();
    }
    return new Answer(status, headers, List.copyOf(all), new String(body, StandardCharsets.UTF_8));
  }

  private static byte[] dechunk(InputStream s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      StringBuilder size = new StringBuilder();
      int c;
      while ((c = s.read()) >= 0 && c != '\n') {
        if (c != '\r') {
          size.append((char) c);
        }
      }
      int semicolon = size.indexOf(";");
      int n =
          Integer.parseInt(
              (semicolon < 0 ? size : size.substring(0, semicolon)).toString().trim(), 16);
      if (n == 0) {
        return out.toByteArray();
      }
      out.writeBytes(s.readNBytes(n));
      s.read(); // \r
      s.read(); // \n
    }
  }
}
