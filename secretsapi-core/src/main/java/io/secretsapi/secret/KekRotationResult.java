package io.secretsapi.secret;

import java.util.List;

/** What a key-encryption key rotation did: the new key, how many data keys were re-wrapped. */
public record KekRotationResult(long newKeyId, List<Long> retiredKeyIds, long rewrapped) {}
