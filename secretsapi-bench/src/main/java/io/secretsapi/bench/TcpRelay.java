package io.secretsapi.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The floor under any proxy on the machine that runs the benchmark: a relay that copies bytes
 * between each caller's connection and its own connection to the upstream, and does nothing else
 * (no parsing, no token, no grant, no record). Two platform threads per connection block on their
 * reads, so each byte crosses one more loopback connection and one more thread wake-up per
 * direction than the direct call: about the least an intermediary can add (HAProxy in TCP mode, in
 * its own process, measured the same; docs/benchmarks.md). {@link ProxyBench} measures it side by
 * side with the direct and the proxied call.
 */
final class TcpRelay implements AutoCloseable {
  private final ServerSocket listener;
  private final InetSocketAddress upstream;

  TcpRelay(InetSocketAddress upstream) throws IOException {
    this.upstream = upstream;
    this.listener = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "relay-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket in = listener.accept();
        Socket out = new Socket();
        try {
          in.setTcpNoDelay(true);
          out.setTcpNoDelay(true);
          out.connect(upstream);
        } catch (IOException e) {
          in.close();
          throw e;
        }
        pump(in, out, "relay-up");
        pump(out, in, "relay-down");
      } catch (IOException e) {
        if (!listener.isClosed()) {
          System.err.println("relay: " + e.getMessage());
        }
      }
    }
  }

  private static void pump(Socket from, Socket to, String name) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16 * 1024];
              try (InputStream i = from.getInputStream();
                  OutputStream o = to.getOutputStream()) {
                for (int n; (n = i.read(buf)) >= 0; ) {
                  o.write(buf, 0, n);
                }
              } catch (IOException e) {
                // the other side closed: nothing to relay any more
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            name);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
