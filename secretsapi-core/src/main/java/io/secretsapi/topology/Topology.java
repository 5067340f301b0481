package io.secretsapi.topology;

import java.util.List;

/**
 * The resource topology as one caller may see it: the trust zones, each with its resources, then
 * the zone {@value #UNASSIGNED} of the resources no operator assigned.
 *
 * @param nodes how many resources the zones hold together
 */
public record Topology(List<Zone> zones, int nodes) {
  /** The name under which resources outside every zone are listed; no zone may take it. */
  public static final String UNASSIGNED = "unassigned";

  public Topology {
    zones = List.copyOf(zones);
  }

  /** A trust zone (or {@value #UNASSIGNED}) and its resources, by name. */
  public record Zone(String name, String description, List<Resource> resources) {
    public Zone {
      resources = List.copyOf(resources);
    }
  }
}
