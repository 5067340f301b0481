package io.secretsapi.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Passes the signals that ask {@code secretsapi run} to stop (INT, TERM, HUP) on to the command,
 * instead of letting them end the JVM: the command stops as it would alone, {@code run} waits for
 * it, revokes, and exits with its code. {@link #close()} puts the previous handlers back.
 *
 * <p>A terminal's Ctrl-C already reaches the command (it is in the same foreground process group),
 * so the first INT is not sent again while {@code run} sits on a terminal; any later signal is. The
 * JDK sends only TERM and KILL to a process itself, so the others go through {@code kill -s}.
 */
final class ChildSignals implements AutoCloseable {
  private static final List<String> FORWARDED = List.of("INT", "TERM", "HUP");
  private final Process child;
  private final boolean onTerminal;
  private final Map<Signal, SignalHandler> previous = new java.util.HashMap<>();
  private final List<String> seen = new ArrayList<>();

  ChildSignals(Process child) {
    this.child = child;
    this.onTerminal = onTerminal();
    for (String name : FORWARDED) {
      try {
        Signal s = new Signal(name);
        previous.put(s, Signal.handle(s, this::received));
      } catch (IllegalArgumentException unavailable) {
        // not a signal on this platform (HUP on Windows), or the JVM reserves it
      }
    }
  }

  /** The signals received, in order, such as {@code [TERM]}. */
  synchronized List<String> received() {
    return List.copyOf(seen);
  }

  private void received(Signal s) {
    boolean first;
    synchronized (this) {
      first = seen.isEmpty();
      seen.add(s.getName());
    }
    if (s.getName().equals("INT") && first && onTerminal) {
      return;
    }
    send(s.getName());
  }

  private void send(String name) {
    if (!child.isAlive()) {
      return;
    }
    if (name.equals("TERM")) {
      child.destroy();
      return;
    }
    try {
      Process kill =
          new ProcessBuilder("kill", "-s", name, Long.toString(child.pid()))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (kill.waitFor() != 0) {
        child.destroy();
      }
    } catch (IOException e) {
      child.destroy();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      child.destroy();
    }
  }

  private static boolean onTerminal() {
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      // JDK 22+ returns a console even when not on a terminal, and says which by isTerminal().
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException olderJdk) {
      return true;
    }
  }

  @Override
  public void close() {
    previous.forEach(Signal::handle);
  }
}
