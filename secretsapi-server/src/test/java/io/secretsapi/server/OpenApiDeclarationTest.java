package io.secretsapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.secretsapi.BrokerCore;
import io.secretsapi.access.Scope;
import io.secretsapi.testing.TestStore;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What happens to a route that is added without its declaration: the broker will not register it,
 * and an answer the document does not describe fails the test that received it. Both messages say
 * what to add, for whoever adds the next route.
 */
class OpenApiDeclarationTest {

  @Test
  void route_withoutDeclaredAnswer_isRefusedAtRegistrationNamingWhatToAdd() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      BrokerCore core = s.server().core();
      IllegalStateException[] refused = new IllegalStateException[1];
      Javalin.create(
          cfg -> {
            Api api = new Api(cfg.routes, core.access(), core.auditBroker(), t -> false);
            try {
              api.route("GET", "/policies", Scope.AUDIT_READ, "List the policy sets")
                  .handle((ctx, caller) -> ctx.json(List.of()));
            } catch (IllegalStateException e) {
              refused[0] = e;
            }
            assertThat(api.specs()).as("nothing was registered").isEmpty();
          });
      assertThat(refused[0])
          .isNotNull()
          .hasMessageContaining("route GET /policies declares no answer")
          .hasMessageContaining(".answers(schema)");
    }
  }

  @Test
  void contract_answerOrParameterNotDeclared_saysWhatToDeclare() {
    try (TestServer s = TestServer.start(TestStore.SQLITE)) {
      ApiContract contract = s.contract();
      assertThat(
              contract.check(
                  "GET",
                  URI.create("http://127.0.0.1/secrets?colour=blue"),
                  200,
                  "application/json",
                  Optional.of(
                      "{\"items\":[],\"total\":0,\"total_exact\":true,\"limit\":50,\"offset\":0,"
                          + "\"showing\":\"\",\"next_cursor\":null}")))
          .containsExactly(
              "GET /secrets was called with the query parameter colour, which it does not declare:"
                  + " add .query(\"colour\", schema, description) where the route is registered");
      assertThat(
              contract.check(
                  "GET",
                  URI.create("http://127.0.0.1/secrets/sec_1/versions"),
                  200,
                  "application/json",
                  Optional.of("{\"secret_id\":\"sec_1\",\"versions\":[],\"colour\":\"red\"}")))
          .singleElement()
          .asString()
          .contains("GET /secrets/{id}/versions answered 200", "colour");
      assertThat(
              contract.check(
                  "DELETE",
                  URI.create("http://127.0.0.1/secrets/sec_1/versions"),
                  405,
                  "application/problem+json",
                  Optional.of("{\"type\":\"x\"}")))
          .as("an answer with no route is a problem document too")
          .isNotEmpty();
    }
  }
}
