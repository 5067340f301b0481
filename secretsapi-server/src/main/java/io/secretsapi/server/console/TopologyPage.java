package io.secretsapi.server.console;

import java.util.List;

/**
 * The resource topology screen: the trust zones with their resources, each with its state (a word
 * and its colour), access rate per minute and the secrets that reach it; and, for a key with {@code
 * policies:write}, the form that assigns a resource to a zone.
 *
 * @param nodes how many resources the zones hold together
 * @param canAssign whether the key may do what {@code PUT /topology/zones/{name}} does
 * @param hosts every resource shown, for the form's suggestions
 * @param zoneNames the trust zones set, for the form's suggestions
 * @param form what the form holds: empty, or what a refused request sent
 */
record TopologyPage(
    Frame frame,
    List<Zone> zones,
    int nodes,
    boolean canAssign,
    List<String> hosts,
    List<String> zoneNames,
    Form form) {

  /** A zone and its resources; {@code unassigned} lists those outside every zone. */
  record Zone(String name, String description, List<Node> resources) {}

  /**
   * One resource.
   *
   * @param state {@code blocked}, {@code exposed}, {@code rotating}, {@code active}, {@code
   *     verified} or {@code scoped}
   * @param secrets the secrets that reach it, by name, such as {@code openai-prod-key}
   */
  record Node(
      String name,
      String state,
      String reason,
      long ratePerMinute,
      String secrets,
      String resourceClasses) {}

  /** The assignment form's fields. */
  record Form(String resource, String zone, String description) {
    static final Form EMPTY = new Form("", "", "");
  }
}
