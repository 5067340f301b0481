package io.secretsapi.policy;

import java.time.Instant;

/** One stored version of a policy set: the document as written, who wrote it, and when. */
public record PolicyVersion(
    String id, int version, String document, Instant createdAt, String createdBy) {}
