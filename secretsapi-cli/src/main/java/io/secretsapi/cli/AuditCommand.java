package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi audit ...}: the audit trail. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Read, export, verify, checkpoint and prove the audit trail.",
    subcommands = {
      AuditTailCommand.class,
      AuditTrailCommand.class,
      AuditExportCommand.class,
      AuditVerifyCommand.class,
      AuditCheckpointCommand.class,
      AuditProofCommand.class,
      AuditKeysCommand.class
    })
final class AuditCommand {}
