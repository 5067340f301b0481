package io.secretsapi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code secretsapi rotation list}: GET /rotations. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "The rotation queue, newest first.")
final class RotationListCommand extends ApiCommand {
  @Option(names = "--secret", description = "Only rotations of this secret (name or id)")
  String secret;

  @Option(
      names = "--state",
      description =
          "Only rotations in this state: queued, pending, validated, promoted, previous, sealed,"
              + " failed")
  String state;

  @Option(names = "--limit", description = "At most this many (1 to 500, default 50)")
  Integer limit;

  @Override
  public Integer call() {
    StringBuilder q = new StringBuilder("/rotations?");
    if (secret != null) {
      q.append("secret_id=").append(seg(id(Names.Kind.SECRET, secret))).append('&');
    }
    if (state != null) {
      q.append("state=").append(seg(state)).append('&');
    }
    if (limit != null) {
      q.append("limit=").append(limit).append('&');
    }
    return list(q.substring(0, q.length() - 1), RotationCommand.COLUMNS);
  }
}
