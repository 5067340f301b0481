package io.secretsapi.topology;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * A trust zone as an operator set it: a name, a description and the resources (hosts) assigned to
 * it. A resource is in at most one zone.
 */
public record TrustZone(
    String name, String description, List<String> resources, String updatedBy, Instant updatedAt) {
  public TrustZone {
    requireNonNull(name, "name");
    requireNonNull(description, "description");
    resources = List.copyOf(resources);
    requireNonNull(updatedBy, "updatedBy");
    requireNonNull(updatedAt, "updatedAt");
  }
}
