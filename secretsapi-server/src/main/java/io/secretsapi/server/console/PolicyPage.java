package io.secretsapi.server.console;

import java.util.List;
import java.util.Optional;

/**
 * The policies screen (screen 7): the policy sets at their current versions, the versions of the
 * selected set, one version's document, a diff between two versions, and the dry run's form and
 * answer.
 *
 * @param selected the set shown, such as {@code KEY-SCOPE-17}; empty when there is none
 * @param shown the version whose document is shown
 * @param diff the line diff from {@code diffFrom} to {@code diffTo}, each line prefixed {@code -},
 *     {@code +} or a space; empty with a set of one version
 * @param canTest whether the key may dry-run ({@code POST /policies/test}, {@code policies:write})
 * @param canWrite whether the key may write a version ({@code PUT /policies/{id}})
 * @param trial the dry run's request as typed, echoed into its form
 * @param answer the dry run's decision, after one
 */
record PolicyPage(
    Frame frame,
    List<Set> sets,
    Optional<String> selected,
    List<Version> versions,
    Optional<Version> shown,
    int diffFrom,
    int diffTo,
    List<Line> diff,
    boolean canTest,
    boolean canWrite,
    Trial trial,
    Optional<Answer> answer) {

  /** A policy set at its current version. */
  record Set(String id, int version, String writtenBy, String ago) {}

  /** One stored version of the selected set. */
  record Version(int version, String writtenBy, String at, String atIso, String document) {}

  /** One line of a diff: {@code kind} is {@code add}, {@code del} or {@code same}. */
  record Line(String kind, String text) {}

  /** The dry run's fields, named as {@code POST /policies/test} names them. */
  record Trial(
      String principal,
      String operation,
      String secretId,
      String ttl,
      String amount,
      String environment) {
    static final Trial EMPTY = new Trial("", "issue", "", "", "", "");
  }

  /**
   * The gate's answer to a dry run.
   *
   * @param rule the deciding rule, such as {@code KEY-SCOPE-17 · v.3 · agents-model-access}
   */
  record Answer(String decision, String rule, String reason, String maxTtl, List<String> matched) {}
}
