/**
 * The resource topology: every upstream host a scope names, with the secrets that reach it, its
 * access rate per minute and its state ({@code blocked}, {@code exposed}, {@code rotating}, {@code
 * active}, {@code verified}, {@code scoped}), grouped in the trust zones an operator assigns
 * (design 0028, docs/topology.md).
 */
package io.secretsapi.topology;
