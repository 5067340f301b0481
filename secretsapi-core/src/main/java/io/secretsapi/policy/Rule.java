package io.secretsapi.policy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One rule of a policy set. Every selector that is present must match; an absent selector matches
 * anything. Names and globs match without regard to case, so {@code OpenAI-Key} cannot slip past a
 * rule written for {@code openai-*}.
 *
 * @param principals globs over the principal name ({@code agent-runtime-*}), or {@code sa:ID}
 * @param operations {@code issue}, {@code derive}, {@code resolve}, {@code proxy}, {@code revoke},
 *     {@code delegate}, or {@code *}
 * @param condition a CEL expression over {@code request}, {@code principal}, {@code secret} and
 *     {@code attestation} that must be true
 * @param approvers for {@code effect: approve}: who may approve (principal names, or {@code
 *     sa:ID}); empty for allow and deny
 * @param approvalTtl for {@code effect: approve}: how long a request waits for a decision
 */
public record Rule(
    String id,
    String effect,
    String description,
    List<String> principals,
    Resources resources,
    List<String> operations,
    Optional<String> condition,
    Optional<Duration> maxTtl,
    boolean requireAttestation,
    List<String> approvers,
    Optional<Duration> approvalTtl) {
  /** How long an approval waits when the rule does not say. */
  public static final Duration DEFAULT_APPROVAL_TTL = Duration.ofMinutes(15);

  /** A rule without approval: {@code allow} or {@code deny}. */
  public Rule(
      String id,
      String effect,
      String description,
      List<String> principals,
      Resources resources,
      List<String> operations,
      Optional<String> condition,
      Optional<Duration> maxTtl,
      boolean requireAttestation) {
    this(
        id,
        effect,
        description,
        principals,
        resources,
        operations,
        condition,
        maxTtl,
        requireAttestation,
        List.of(),
        Optional.empty());
  }

  /** Resource selectors; each list empty means any. */
  public record Resources(
      List<String> secretIds,
      List<String> names,
      List<String> resourceClasses,
      List<String> environments,
      List<String> providers,
      List<String> tags) {
    static Resources any() {
      return new Resources(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }
  }
}
