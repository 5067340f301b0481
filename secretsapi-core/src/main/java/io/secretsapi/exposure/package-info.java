/**
 * Exposure scoring: a score in 0..1 per secret and per live token, from scope breadth, call
 * velocity, distinct callers, refusals, the age of the value and drift, kept incrementally from the
 * records the broker appends; thresholds that act once per crossing; the exposure replay (design
 * 0027, docs/exposure.md).
 */
package io.secretsapi.exposure;
