package io.secretsapi.audit;

import java.util.Optional;

/**
 * One audit record as the event stream and webhooks carry it.
 *
 * @param offset the record's offset: the event id, and where a consumer resumes
 * @param family {@code access}, {@code grant}, {@code refusal}, {@code rotation}, {@code
 *     revocation} or {@code policy}
 * @param type the record's own type, such as {@code token.issue}
 * @param record the record's canonical JSON, exactly as the chain holds it
 */
public record AuditEvent(
    long offset,
    String family,
    String type,
    String actor,
    Optional<String> subject,
    Optional<String> secretId,
    String record) {

  /** Every family, in the order the API documents them. */
  public static final java.util.List<String> FAMILIES =
      java.util.List.of("access", "grant", "refusal", "rotation", "revocation", "policy");

  /** The family of a record of {@code type} decided {@code decision}. */
  public static String familyOf(String type, String decision) {
    if ("deny".equals(decision)) {
      return "refusal";
    }
    return switch (type) {
      case "token.issue", "token.derive" -> "grant";
      case "secret.rotate", "key.rotate", "kek.rotate", "secret.seal", "token-keys.rotate" ->
          "rotation";
      case "token.revoke", "key.revoke", "secret.delete" -> "revocation";
      case "policy.change" -> "policy";
      default -> type.startsWith("rotation.") ? "rotation" : "access";
    };
  }

  /** True when this event is of {@code typeOrFamily}: a family name or an exact record type. */
  public boolean is(String typeOrFamily) {
    return family.equals(typeOrFamily) || type.equals(typeOrFamily);
  }

  /** True when {@code principal} acted in this event or was its subject. */
  public boolean involves(String principal) {
    return actor.equals(principal) || subject.filter(principal::equals).isPresent();
  }
}
