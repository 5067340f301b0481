package io.secretsapi.server;

import io.secretsapi.access.Scope;
import java.util.Optional;

/**
 * One endpoint as the route table declares it: what the OpenAPI document, the authorization matrix
 * test and the metrics are built from.
 *
 * @param auth {@code public}, {@code key} (any valid API key; the object's owner is checked inside)
 *     or {@code scope} (the key must hold {@link #scope})
 * @param body the request body type, when the endpoint takes one
 * @param audited false only for the probes (liveness, readiness, metrics), which are counted
 *     instead (design 0019)
 */
record RouteSpec(
    String method,
    String path,
    String auth,
    Optional<Scope> scope,
    String summary,
    Optional<Class<?>> body,
    int status,
    boolean audited) {}
