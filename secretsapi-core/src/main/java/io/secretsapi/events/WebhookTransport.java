package io.secretsapi.events;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * How a delivery leaves the broker: one POST, answering the receiver's HTTP status. The server
 * gives one that resolves the receiver through the address guard and connects to exactly the
 * checked addresses, follows no redirect and times out.
 */
@FunctionalInterface
public interface WebhookTransport {
  /**
   * @throws IOException when the receiver cannot be reached, or its address is refused
   */
  int post(URI url, Map<String, String> headers, String jsonBody)
      throws IOException, InterruptedException;
}
