package io.secretsapi.exposure;

import java.util.List;

/**
 * What a secret (or token) met within its window that it had not met before: callers, upstream
 * hosts and caller networks (IPv4 /24, IPv6 /48). Its first window is its baseline and counts none.
 */
public record Drift(List<String> callers, List<String> hosts, List<String> networks) {
  public Drift {
    callers = List.copyOf(callers);
    hosts = List.copyOf(hosts);
    networks = List.copyOf(networks);
  }

  public int size() {
    return callers.size() + hosts.size() + networks.size();
  }
}
