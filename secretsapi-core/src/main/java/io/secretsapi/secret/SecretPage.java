package io.secretsapi.secret;

import java.util.List;

/** One page of a listing: the items, and how many match in all ("showing 8 of 142"). */
public record SecretPage(List<Secret> items, long total, int limit, int offset) {
  /** The sentence the console shows, such as {@code showing 8 of 142}. */
  public String summary() {
    return "showing " + items.size() + " of " + total;
  }
}
