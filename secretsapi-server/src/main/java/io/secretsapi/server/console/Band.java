package io.secretsapi.server.console;

import java.util.List;

/**
 * The header band of every screen: the broker's figures, each only when the broker has it and the
 * key may read it.
 *
 * @param items in order, such as {@code Status Operational}, {@code Secrets 142 / 168}
 */
record Band(List<Item> items) {
  /**
   * One figure.
   *
   * @param detail a second, smaller line, such as {@code 3F2A · D981}; empty for none
   */
  record Item(String label, String value, String detail) {}
}
