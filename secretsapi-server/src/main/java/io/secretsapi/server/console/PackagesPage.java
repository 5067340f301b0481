package io.secretsapi.server.console;

import java.util.List;

/**
 * The API Services screen: the figures the broker has, the pool of service packages as cards with
 * their posture, the engines with their bindings, and, for a key with {@code policies:write}, the
 * bind form and an unbind control per binding.
 *
 * @param figures only those the broker really has for this key, in the document's order
 * @param canBind whether the key may do what {@code POST /engines/{id}/bindings} does
 * @param canUnbind whether the key may do what {@code DELETE /engines/{id}/bindings/{package_id}}
 *     does
 * @param form what the bind form holds: empty, or what a refused request sent
 */
record PackagesPage(
    Frame frame,
    List<Figure> figures,
    List<Card> packages,
    List<EngineLine> engines,
    boolean canBind,
    boolean canUnbind,
    Form form) {

  /** One header figure, such as {@code API Service Packages 3}. */
  record Figure(String id, String label, String value, String detail) {}

  /** A package or an engine named in another's line. */
  record Ref(String id, String name) {}

  /** One bundled secret under its scope. */
  record Item(String secretId, String name, String provider, String scope) {}

  /** Why one secret holds a package in {@code Review}. */
  record Reason(String secretId, String name, String why) {}

  /**
   * One package of the pool.
   *
   * @param summary the providers it bundles and how many credentials, such as {@code stripe +
   *     cloudflare · 2 credentials}
   * @param posture {@code Ready} or {@code Review}
   */
  record Card(
      String id,
      String name,
      String summary,
      String tier,
      String posture,
      List<Reason> reasons,
      String reviewLane,
      List<Item> items,
      List<Ref> engines) {}

  /**
   * One engine as the bindings list shows it: {@code POD Engine Alpha -> SaaS Growth Plan}, {@code
   * prod-node-01 / 3 of 6 used · Live frontend / Governed admin}, its release and its packages.
   */
  record EngineLine(
      String number,
      String id,
      String name,
      String plan,
      String placement,
      String release,
      List<Binding> bindings) {}

  /** A package bound to an engine, with the policy version the binding wrote. */
  record Binding(String packageId, String name, String policy) {}

  /** The bind form's fields. */
  record Form(String engineId, String packageId) {
    static final Form EMPTY = new Form("", "");
  }
}
