package io.secretsapi.cli;

import picocli.CommandLine.Command;

/** {@code secretsapi audit proof ...}: RFC 9162 proofs over the trail's Merkle tree. */
@Command(
    name = "proof",
    mixinStandardHelpOptions = true,
    description = "RFC 9162 inclusion and consistency proofs of the audit trail.",
    subcommands = {AuditProofInclusionCommand.class, AuditProofConsistencyCommand.class})
final class AuditProofCommand {}
