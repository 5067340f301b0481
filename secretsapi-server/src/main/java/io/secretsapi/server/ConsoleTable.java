package io.secretsapi.server;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.secretsapi.access.Scope;
import io.secretsapi.server.console.ApiTable;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The API's route table, request ids and free-text guard, as the console reads them: the console
 * asks the same table the API's routes enforce, so a key can do nothing in the console that its
 * scopes would not let it do through the API.
 */
final class ConsoleTable implements ApiTable {
  private final Supplier<List<RouteSpec>> routes;
  private final FreeText freeText;
  private final SecretValidator validator;

  ConsoleTable(Supplier<List<RouteSpec>> routes, FreeText freeText, SecretValidator validator) {
    this.routes = requireNonNull(routes, "routes");
    this.freeText = requireNonNull(freeText, "freeText");
    this.validator = requireNonNull(validator, "validator");
  }

  @Override
  public Optional<Scope> scopeOf(String endpoint) {
    for (RouteSpec r : routes.get()) {
      if (endpoint.equals(r.method() + " " + r.path())) {
        if (r.auth().equals("public") || r.auth().equals("token")) {
          throw new IllegalArgumentException(
              "the console acts only as an API key does; " + endpoint + " takes no key");
        }
        return r.scope();
      }
    }
    throw new IllegalArgumentException("the API has no endpoint " + endpoint);
  }

  @Override
  public String requestId(Context ctx) {
    return RequestIds.of(ctx);
  }

  @Override
  public boolean holdsSecret(String text) {
    return freeText.holdsSecret(text);
  }

  @Override
  public io.secretsapi.secret.Validation validate(
      io.secretsapi.access.Caller caller, String secretId, String requestId) {
    return validator.validate(
        caller, secretId, java.util.Optional.empty(), java.util.Optional.of(requestId));
  }

  @Override
  public java.time.Duration rotationPeriod() {
    return validator.rotationPeriod();
  }
}
