package io.secretsapi.token;

import java.math.BigDecimal;

/**
 * The range of an amount the broker takes: a scope's or a child's {@code max_amount}, or what a
 * proxied call's body spends. A decimal's exponent costs nothing to send ({@code 1e999999999} is
 * eleven characters) but everything to print: {@code toPlainString} would build a billion digits.
 * So every amount is bounded before it is kept, compared or written anywhere.
 */
final class Amounts {
  /** At most this many digits before the decimal point. */
  static final int INTEGER_DIGITS = 18;

  /** At most this many digits after it. */
  static final int DECIMALS = 6;

  private Amounts() {}

  /** True when {@code d} has at most 18 integer digits and 6 decimals. */
  static boolean inRange(BigDecimal d) {
    BigDecimal stripped = d.stripTrailingZeros();
    long integerDigits = (long) stripped.precision() - stripped.scale();
    return stripped.scale() <= DECIMALS && integerDigits <= INTEGER_DIGITS;
  }
}
