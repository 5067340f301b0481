package io.secretsapi.cli;

import picocli.CommandLine.Command;

/**
 * {@code secretsapi status}: GET /health/ready. Exits 0 when the broker is ready, 1 when it answers
 * that it is not (store unreachable, key-encryption key missing or stale), so a script can wait on
 * it.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Is the broker ready: its store, its key-encryption key, whether it leads.")
final class StatusCommand extends ApiCommand {
  @Override
  public Integer call() {
    var r = opts.anonymous().send("GET", "/health/ready", null, null);
    var body = ClientOptions.Compact.MAPPER.readTree(r.body());
    opts.printObject(out(), body);
    return r.status() == 200 ? 0 : CliException.REFUSED;
  }
}
