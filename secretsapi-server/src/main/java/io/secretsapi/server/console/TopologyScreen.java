package io.secretsapi.server.console;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.topology.Resource;
import io.secretsapi.topology.Topology;
import io.secretsapi.topology.TopologyService;
import io.secretsapi.topology.TrustZone;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Resource topology at {@code /console/topology}: what {@code GET /topology} answers, grouped by
 * trust zone, and the assignment of a resource to a zone, which does what {@code PUT
 * /topology/zones/{name}} does (the zone keeps its other resources; a new zone is created).
 */
final class TopologyScreen {
  static final String PATH = "/console/topology";

  private TopologyScreen() {}

  static void register(Console c) {
    ConsoleHttp http = c.http();
    // after a refusal the form starts empty: a refused field is never written back into the page
    ConsoleHttp.OnRefusal again =
        (ctx, s, r) -> show(c, ctx, s, TopologyPage.Form.EMPTY, Optional.of(r));
    http.page(
        PATH,
        "GET /topology",
        (ctx, s) -> show(c, ctx, s, TopologyPage.Form.EMPTY, Optional.empty()),
        again);
    http.action(
        PATH + "/assign",
        "PUT /topology/zones/{name}",
        (ctx, s) -> {
          TopologyPage.Form f = form(ctx);
          TrustZone z = assign(c.core().topology(), s.caller(), f);
          ctx.redirect(
              PATH
                  + "?assigned="
                  + URLEncoder.encode(f.resource().toLowerCase(Locale.ROOT), StandardCharsets.UTF_8)
                  + "&zone="
                  + URLEncoder.encode(z.name(), StandardCharsets.UTF_8),
              HttpStatus.SEE_OTHER);
        },
        again);
  }

  /** The zone with its resources and this one; its description kept unless a new one is given. */
  private static TrustZone assign(TopologyService t, Caller caller, TopologyPage.Form f) {
    if (f.resource().isEmpty()) {
      throw new ValidationException("resource", "required", "resource is required");
    }
    try {
      return t.assign(caller, f.zone(), f.description(), f.resource());
    } catch (ValidationException e) {
      // the form's fields are named resource and zone: the refusal names them so
      if (e.field().startsWith("resources")) {
        throw new ValidationException(
            "resource",
            e.rule(),
            "resource must be a host name such as api.openai.com, or four decimal octets, with"
                + " an optional port of 1 to 65535");
      }
      if (e.field().equals("name")) {
        throw new ValidationException("zone", e.rule(), e.getMessage().replace("name", "zone"));
      }
      throw e;
    }
  }

  private static TopologyPage.Form form(Context ctx) {
    return new TopologyPage.Form(
        field(ctx, "resource"), field(ctx, "zone"), field(ctx, "description"));
  }

  private static String field(Context ctx, String name) {
    String v = ctx.formParam(name);
    return v == null ? "" : v.strip();
  }

  static void show(
      Console c, Context ctx, Session s, TopologyPage.Form form, Optional<Refusal> refusal) {
    Caller caller = s.caller();
    TopologyService service = c.core().topology();
    Topology t = service.topology(caller);
    Frame frame = c.frame(s, "Resource topology", "topology");
    if (refusal.isPresent()) {
      frame = frame.withRefusal(refusal.get());
    } else if (ctx.queryParam("assigned") != null && ctx.queryParam("zone") != null) {
      frame =
          frame.withNotice(
              "assigned "
                  + ctx.queryParam("assigned")
                  + " to trust zone "
                  + ctx.queryParam("zone"));
    }
    List<TopologyPage.Zone> zones = new ArrayList<>();
    List<String> hosts = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Topology.Zone z : t.zones()) {
      List<TopologyPage.Node> nodes = new ArrayList<>();
      for (Resource r : z.resources()) {
        nodes.add(node(r));
        hosts.add(r.name());
      }
      if (!z.name().equals(Topology.UNASSIGNED)) {
        names.add(z.name());
      }
      zones.add(new TopologyPage.Zone(z.name(), z.description(), nodes));
    }
    boolean canAssign = Scopes.allows(caller, c.http().api(), "PUT /topology/zones/{name}");
    TopologyPage model = new TopologyPage(frame, zones, t.nodes(), canAssign, hosts, names, form);
    c.templates().answer(ctx, refusal.map(Refusal::status).orElse(200), "topology.jte", model);
  }

  private static TopologyPage.Node node(Resource r) {
    return new TopologyPage.Node(
        r.name(),
        r.state().wire(),
        r.reason(),
        r.ratePerMinute(),
        String.join(", ", r.secrets().stream().map(Resource.SecretRef::name).toList()),
        String.join(", ", r.resourceClasses()));
  }
}
