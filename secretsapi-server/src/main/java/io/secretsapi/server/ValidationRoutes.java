package io.secretsapi.server;

import static io.secretsapi.server.JsonSchema.ref;

import io.secretsapi.Durations;
import io.secretsapi.Required;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Scope;
import io.secretsapi.secret.Validation;
import io.secretsapi.secret.ValidationStore;
import io.secretsapi.secret.Vault;
import io.secretsapi.storage.Database;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The validation posture of secrets: probe now, schedule, read the last result. */
final class ValidationRoutes {
  /**
   * Body of {@code POST /secrets/{id}/validate}; optional. {@code url} is refused: where the probe
   * goes is the secret's, set by its owner with {@code PUT /secrets/{id}/validation-endpoint}.
   */
  record Validate(String url, String every) {}

  /** Body of {@code PUT /secrets/{id}/validation-endpoint}. */
  record Endpoint(@Required String url) {}

  private ValidationRoutes() {}

  static void register(Api api, SecretValidator validator, Vault vault, Database db) {
    api.route(
            "POST",
            "/secrets/{id}/validate",
            Scope.SECRETS_READ,
            "Probe the provider with the stored key (the provider's preset, or the secret's"
                + " validation endpoint): healthy, rotation due or validation failed; every"
                + " schedules it")
        .optionalBody(Validate.class)
        .answers(ref("Validation"))
        .handle(
            (ctx, caller) -> {
              Optional<Validate> b = Bodies.readOptional(ctx, Validate.class);
              if (b.isPresent() && b.get().url() != null) {
                throw new ValidationException(
                    "url",
                    "not_allowed",
                    "url is not taken here: the secret's owner sets where validation goes with"
                        + " PUT /secrets/{id}/validation-endpoint (secrets:write)");
              }
              Validation v =
                  validator.validate(
                      caller,
                      ctx.pathParam("id"),
                      b.map(Validate::every).map(e -> Durations.parse("every", e)),
                      Optional.of(RequestIds.of(ctx)));
              ctx.json(json(v));
            });
    api.route(
            "PUT",
            "/secrets/{id}/validation-endpoint",
            Scope.SECRETS_WRITE,
            "Set where validation probes the provider with the stored key: an absolute https URL")
        .body(Endpoint.class)
        .answers(ref("Secret"))
        .handle(
            (ctx, caller) -> {
              Endpoint b = Bodies.read(ctx, Endpoint.class);
              if (b.url() == null) {
                throw new ValidationException("url", "required", "url is required");
              }
              ctx.json(
                  vault.setValidationEndpoint(caller, ctx.pathParam("id"), Optional.of(b.url())));
            });
    api.route(
            "DELETE",
            "/secrets/{id}/validation-endpoint",
            Scope.SECRETS_WRITE,
            "Probe the provider's preset again")
        .answers(ref("Secret"))
        .handle(
            (ctx, caller) ->
                ctx.json(
                    vault.setValidationEndpoint(caller, ctx.pathParam("id"), Optional.empty())));
    api.route(
            "GET",
            "/secrets/{id}/validation",
            Scope.SECRETS_READ,
            "The last validation of a secret and its schedule")
        .answers(ref("Validation"))
        .handle(
            (ctx, caller) -> {
              String id = ctx.pathParam("id");
              vault.get(caller, id);
              Optional<Validation> v = ValidationStore.find(db, id);
              if (v.isEmpty()) {
                Map<String, Object> none = new LinkedHashMap<>();
                none.put("secret_id", id);
                none.put("status", "not validated");
                ctx.json(none);
              } else {
                ctx.json(json(v.get()));
              }
            });
  }

  static Map<String, Object> json(Validation v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("secret_id", v.secretId());
    m.put("status", v.status());
    m.put("reason", v.reason());
    m.put("checked_at", v.checkedAt().toString());
    m.put("http_status", v.httpStatus().orElse(null));
    m.put("preset", v.preset());
    m.put("every", v.every().isZero() ? null : Durations.format(v.every()));
    m.put("next_check_at", v.nextCheckAt().map(Object::toString).orElse(null));
    return m;
  }
}
