package io.secretsapi.pkg;

import io.secretsapi.Required;
import java.util.List;

/**
 * What an operator sends to create or replace a package ({@code POST /packages}, {@code PUT
 * /packages/{id}}).
 */
public record NewPackage(
    @Required String name, String tier, String reviewLane, @Required List<ItemSpec> items) {

  /** One item as sent: a secret id and the name of one of its scopes. */
  public record ItemSpec(@Required String secretId, @Required String scope) {}
}
