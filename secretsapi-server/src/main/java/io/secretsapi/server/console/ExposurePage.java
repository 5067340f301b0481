package io.secretsapi.server.console;

import java.util.List;
import java.util.Optional;

/**
 * The exposure screen: secrets (or live tokens) ranked by score as {@code GET /exposure} ranks
 * them, the selected one's explanation, the thresholds set, and the form that sets one.
 *
 * @param kind {@code secret} or {@code token}
 * @param enabled whether the broker scores at all ({@code exposure.enabled})
 * @param window the scoring window, such as {@code 60s}
 * @param self this view's address (kind and selection), which the table's refresh asks again
 * @param selected the explanation of the selected row, if one is selected and still ranked
 * @param canSet whether the key may set a threshold ({@code PUT /exposure/thresholds})
 * @param form the threshold form's fields, as shown
 */
record ExposurePage(
    Frame frame,
    String kind,
    boolean enabled,
    String window,
    String self,
    List<Row> rows,
    Optional<Explanation> selected,
    List<Set> thresholds,
    Set defaultThreshold,
    boolean canSet,
    Form form) {

  /**
   * One ranked secret or token; numbers as the documents write them ({@code 0.82}, {@code +0.18},
   * {@code 9.0s}).
   *
   * @param link the address that selects this row
   * @param above whether the score is at or above its threshold
   */
  record Row(
      String id,
      String secretId,
      String name,
      String score,
      String delta,
      String deltaWindow,
      List<String> newCallers,
      List<String> newHosts,
      List<String> newNetworks,
      String threshold,
      String source,
      boolean above,
      boolean selected,
      String link) {
    boolean noDrift() {
      return newCallers.isEmpty() && newHosts.isEmpty() && newNetworks.isEmpty();
    }
  }

  /** Why a score is what it is: each factor's part of it, summed. */
  record Explanation(
      String kind,
      String id,
      String secretId,
      String name,
      String score,
      String threshold,
      String source,
      String at,
      String atIso,
      List<Term> factors) {}

  /** One factor: its {@code weight × value} is its contribution to the score. */
  record Term(String name, String weight, String value, String contribution, String detail) {}

  /** A threshold set on a secret, a resource class, a policy, or the default. */
  record Set(String targetKind, String target, String threshold, String action) {}

  /** The threshold form's fields, named as {@code PUT /exposure/thresholds} names them. */
  record Form(String targetKind, String target, String threshold, String action) {
    static final Form EMPTY = new Form("secret", "", "", "rotate");
  }
}
