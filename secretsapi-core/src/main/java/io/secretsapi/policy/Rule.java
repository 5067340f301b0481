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
    boolean requireAttestation) {

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
