package io.secretsapi.server;

import static io.secretsapi.server.JsonSchema.integer;
import static io.secretsapi.server.JsonSchema.items;
import static io.secretsapi.server.JsonSchema.object;
import static io.secretsapi.server.JsonSchema.ref;
import static io.secretsapi.server.JsonSchema.string;
import static io.secretsapi.server.JsonSchema.strings;

import io.secretsapi.access.Scope;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.audit.AuditTrail;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Routes that read the audit trail. */
final class AuditRoutes {
  private AuditRoutes() {}

  static void register(
      Api api, AuditTrail trail, io.secretsapi.audit.AuditCheckpoints checkpoints) {
    api.route(
            "GET",
            "/audit/checkpoints",
            Scope.AUDIT_READ,
            "The latest signed checkpoints (tree size, root hash)")
        .query("limit", integer(), "at most this many (default 10)")
        .answers(items(ref("Checkpoint")))
        .handle(
            (ctx, caller) ->
                ctx.json(
                    Map.of(
                        "items",
                        checkpoints.latest(Bodies.queryInt(ctx, "limit", 10)).stream()
                            .map(io.secretsapi.audit.AuditCheckpoints.Checkpoint::toMap)
                            .toList())));
    api.route(
            "POST",
            "/audit/checkpoints",
            Scope.AUDIT_READ,
            "A signed checkpoint of the trail as it is now")
        .answers(ref("Checkpoint"))
        .handle(
            (ctx, caller) ->
                ctx.json(
                    checkpoints
                        .checkpoint()
                        .map(io.secretsapi.audit.AuditCheckpoints.Checkpoint::toMap)
                        .orElseThrow(
                            () ->
                                new BadRequestException(
                                    "trail", "empty", "the audit trail is empty"))));
    api.route(
            "GET",
            "/audit/proof/inclusion",
            Scope.AUDIT_READ,
            "RFC 9162 inclusion proof of the record at offset in the tree of tree_size records")
        .requiredQuery("offset", integer(), "the record's audit offset (1 or more)")
        .requiredQuery("tree_size", integer(), "the size of the tree the proof is for")
        .answers(
            object()
                .req("offset", integer())
                .req("tree_size", integer())
                .req("leaf_hash", string())
                .req("root_hash", string())
                .req("proof", strings()))
        .handle(
            (ctx, caller) ->
                ctx.json(
                    checkpoints.inclusionProof(
                        offset(ctx, "offset")
                            .orElseThrow(
                                () ->
                                    new BadRequestException(
                                        "offset", "required", "offset is required")),
                        offset(ctx, "tree_size")
                            .orElseThrow(
                                () ->
                                    new BadRequestException(
                                        "tree_size", "required", "tree_size is required")))));
    api.route(
            "GET",
            "/audit/proof/consistency",
            Scope.AUDIT_READ,
            "RFC 9162 consistency proof from the tree of from records to the tree of to records")
        .requiredQuery("from", integer(), "the smaller tree size")
        .requiredQuery("to", integer(), "the larger tree size")
        .answers(
            object()
                .req("from", integer())
                .req("to", integer())
                .req("from_root", string())
                .req("to_root", string())
                .req("proof", strings()))
        .handle(
            (ctx, caller) ->
                ctx.json(
                    checkpoints.consistencyProof(
                        offset(ctx, "from")
                            .orElseThrow(
                                () ->
                                    new BadRequestException(
                                        "from", "required", "from is required")),
                        offset(ctx, "to")
                            .orElseThrow(
                                () ->
                                    new BadRequestException("to", "required", "to is required")))));
    api.open("GET", "/audit/jwks.json", "The public keys that sign audit checkpoints (Ed25519)")
        .answersWith(200, "application/jwk-set+json", ref("Jwks"))
        .serve(
            ctx ->
                ctx.contentType("application/jwk-set+json")
                    .result(checkpoints.jwks().toString(true)));
    api.route(
            "GET",
            "/audit/trail",
            Scope.AUDIT_READ,
            "Audit records by secret_id, token_id, principal, type or offset range (from, to), oldest first")
        .query("secret_id", string(), "only records about this secret")
        .query("token_id", string(), "only records about this token")
        .query("principal", string(), "only records that involve this principal")
        .query("type", string(), "only records of this type, such as token.issue")
        .query("from", integer(), "from this audit offset (1 or more)")
        .query("to", integer(), "up to this audit offset")
        .query("limit", integer(), "at most this many, 1 to 1000 (default 100)")
        .query("cursor", string(), "the next_cursor of the page before, under the same filters")
        .answers(
            items(ref("AuditItem"))
                .nul("next_cursor", string("the cursor of the next page; null on the last page")))
        .example(null, Examples.trailAnswer())
        .handle(
            (ctx, caller) -> {
              AuditTrail.Filter f =
                  new AuditTrail.Filter(
                      Bodies.query(ctx, "secret_id"),
                      Bodies.query(ctx, "token_id"),
                      Bodies.query(ctx, "principal"),
                      Bodies.query(ctx, "type"),
                      offset(ctx, "from"),
                      offset(ctx, "to"),
                      Bodies.queryInt(ctx, "limit", 100),
                      Bodies.query(ctx, "cursor"));
              var page = trail.page(caller, f);
              var items =
                  page.items().stream()
                      .map(
                          s -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("audit_ref", AuditLog.ref(s.offset()));
                            m.put("offset", s.offset());
                            m.put("leaf_hash", s.leafHash());
                            m.put("record", Server.JSON.readTree(s.record()));
                            return m;
                          })
                      .toList();
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("items", items);
              m.put("next_cursor", page.nextCursor().orElse(null));
              ctx.json(m);
            });
    api.route(
            "GET",
            "/audit/export",
            Scope.ADMIN,
            "The chain from offset from (default 1) to offset to (default the end) as JSON Lines")
        .query("from", integer(), "the first offset (default 1)")
        .query("to", integer(), "the last offset (default the end)")
        .answersWith(
            200,
            "application/jsonl",
            string("one signed audit record per line, each canonical JSON (RFC 8785)"))
        .streaming()
        .handle(
            (ctx, caller) -> {
              long from = offset(ctx, "from").orElse(1L);
              long to = offset(ctx, "to").orElse(Long.MAX_VALUE);
              ctx.contentType("application/jsonl; charset=utf-8");
              ctx.header(
                  "Content-Disposition",
                  "attachment; filename=\"secretsapi-audit-from-" + from + ".jsonl\"");
              OutputStream out = ctx.res().getOutputStream();
              try {
                trail.export(
                    caller,
                    from,
                    to,
                    s -> {
                      try {
                        out.write(s.record().getBytes(StandardCharsets.UTF_8));
                        out.write('\n');
                      } catch (IOException e) {
                        throw new UncheckedIOException(e);
                      }
                    });
                out.flush();
              } catch (UncheckedIOException e) {
                throw e.getCause();
              }
            });
  }

  private static Optional<Long> offset(io.javalin.http.Context ctx, String name) {
    Optional<String> v = Bodies.query(ctx, name);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      long n = Long.parseLong(v.get());
      if (n < 1) {
        throw new NumberFormatException();
      }
      return Optional.of(n);
    } catch (NumberFormatException e) {
      throw new BadRequestException(name, "offset", name + " must be an offset of 1 or more");
    }
  }
}
