package io.secretsapi.token;

import java.util.List;

/**
 * {@code POST /tokens/derive}: narrow a parent token into a child. Absent fields inherit the
 * parent's; anything wider than the parent's is refused.
 */
public record DeriveRequest(
    List<String> operations,
    NewScope.UpstreamSpec upstream,
    String ttl,
    Long maxUses,
    String maxAmount,
    String subject,
    String attestation) {}
