package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi audit ...}: the audit trail. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Read, export and verify the audit trail.",
    subcommands = {
      AuditTailCommand.class,
      AuditTrailCommand.class,
      AuditExportCommand.class,
      AuditVerifyCommand.class
    })
final class AuditCommand {}
