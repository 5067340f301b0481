package io.secretsapi.exposure;

/**
 * One term of an exposure score: {@code weight * value} of the score comes from it.
 *
 * @param name {@code scope_breadth}, {@code call_velocity}, {@code distinct_callers}, {@code
 *     refusals}, {@code value_age} or {@code drift}
 * @param value in 0..1
 * @param detail what the value was made from, in words ("142 calls in 60s")
 */
public record Factor(String name, double weight, double value, String detail) {
  /** This factor's share of the score. */
  public double contribution() {
    return weight * value;
  }
}
