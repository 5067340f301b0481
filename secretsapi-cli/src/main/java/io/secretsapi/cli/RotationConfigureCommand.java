package io.secretsapi.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code secretsapi rotation configure SECRET --rotator KIND ...}: PUT /secrets/{id}/rotation. */
@Command(
    name = "configure",
    mixinStandardHelpOptions = true,
    description =
        "Set how a secret is rotated. The webhook rotator's signing secret is printed once.")
final class RotationConfigureCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "SECRET", description = "Secret name or id (sec_...)")
  String secret;

  @Option(names = "--rotator", required = true, description = "generated, webhook or postgresql")
  String rotator;

  @Option(names = "--grace", description = "How long the old value stays readable (default 1h)")
  String grace;

  @Option(names = "--every", description = "Rotate on this schedule (5m to 366d; default never)")
  String every;

  @Option(
      names = "--cron",
      description = "Rotate on this cron schedule instead: five fields, UTC, e.g. \"0 3 * * 1\"")
  String cron;

  @Option(names = "--length", description = "generated: value length (16 to 256, default 32)")
  Integer length;

  @Option(
      names = "--alphabet",
      description = "generated: alnum, hex, base64url, printable, or the characters themselves")
  String alphabet;

  @Option(
      names = "--webhook-url",
      description = "webhook: the owner's endpoint that makes the value")
  String webhookUrl;

  @Option(names = "--timeout", description = "webhook, postgresql: wait per call (default 10s)")
  String timeout;

  @Option(
      names = "--postgres-url",
      description = "postgresql: postgresql://host:port/database (no credentials)")
  String postgresUrl;

  @Option(
      names = "--postgres-role",
      description = "postgresql: one of the two roles to alternate (give it twice)")
  List<String> postgresRoles;

  @Option(
      names = "--postgres-admin-secret",
      description = "postgresql: the secret (name or id) holding the admin's credentials")
  String postgresAdminSecret;

  @Override
  public Integer call() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("rotator", rotator);
    put(body, "grace", grace);
    put(body, "every", every);
    put(body, "cron", cron);
    put(body, "length", length);
    put(body, "alphabet", alphabet);
    put(body, "webhook_url", webhookUrl);
    put(body, "timeout", timeout);
    put(body, "postgres_url", postgresUrl);
    put(body, "postgres_roles", postgresRoles);
    if (postgresAdminSecret != null) {
      body.put("postgres_admin_secret", id(Names.Kind.SECRET, postgresAdminSecret));
    }
    return show("PUT", "/secrets/" + seg(id(Names.Kind.SECRET, secret)) + "/rotation", body);
  }

  private static void put(Map<String, Object> body, String name, Object value) {
    if (value != null) {
      body.put(name, value);
    }
  }
}
