package io.secretsapi.server.console;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.secretsapi.NotFoundException;
import io.secretsapi.Page;
import io.secretsapi.ValidationException;
import io.secretsapi.access.Caller;
import io.secretsapi.pkg.Engine;
import io.secretsapi.pkg.EngineService;
import io.secretsapi.pkg.PackageService;
import io.secretsapi.pkg.Posture;
import io.secretsapi.pkg.ServicePackage;
import io.secretsapi.secret.Secret;
import io.secretsapi.token.Grant;
import io.secretsapi.token.TokenFilter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * API Services at {@code /console/packages} (docs/packages.md, design 0031): the pool of service
 * packages that {@code GET /packages} lists, with their posture, and the engines {@code GET
 * /engines} lists with their bindings, through the same {@link PackageService} and {@link
 * EngineService}. With {@code policies:write}, bind a package to an engine and unbind it, as {@code
 * POST /engines/{id}/bindings} and {@code DELETE /engines/{id}/bindings/{package_id}} do. Each
 * engine's credential vault is {@link EngineScreen}.
 */
final class PackagesScreen {
  static final String PATH = "/console/packages";
  static final String BIND = "POST /engines/{id}/bindings";
  static final String UNBIND = "DELETE /engines/{id}/bindings/{package_id}";

  /** Live grants counted per secret, at most: a screen, not an inventory. */
  private static final int LEASES = 500;

  private PackagesScreen() {}

  static void register(Console c) {
    ConsoleHttp http = c.http();
    ConsoleHttp.OnRefusal again = (ctx, s, r) -> show(c, ctx, s, form(ctx), Optional.of(r));
    http.page(
        PATH,
        "GET /packages",
        (ctx, s) -> show(c, ctx, s, PackagesPage.Form.EMPTY, Optional.empty()),
        again);
    http.action(
        PATH + "/bind",
        BIND,
        (ctx, s) -> {
          PackagesPage.Form f = form(ctx);
          String engine = engineId(f.engineId());
          if (f.packageId().isEmpty()) {
            throw new ValidationException("package_id", "required", "package_id is required");
          }
          try {
            c.core().engines().bind(s.caller(), engine, f.packageId(), requestId(c, ctx));
          } catch (io.secretsapi.pkg.EngineNotFoundException e) {
            throw noEngine();
          }
          ctx.redirect(done("bound", engine, f.packageId()), HttpStatus.SEE_OTHER);
        },
        again);
    http.action(
        PATH + "/unbind",
        UNBIND,
        (ctx, s) -> {
          PackagesPage.Form f = form(ctx);
          String engine = engineId(f.engineId());
          if (f.packageId().isEmpty()) {
            throw new ValidationException("package_id", "required", "package_id is required");
          }
          try {
            c.core().engines().unbind(s.caller(), engine, f.packageId(), requestId(c, ctx));
          } catch (io.secretsapi.pkg.EngineNotFoundException e) {
            throw noEngine();
          } catch (NotFoundException e) {
            throw new ValidationException(
                "package_id", "bound", "package_id names no package bound to engine " + engine);
          }
          ctx.redirect(done("unbound", engine, f.packageId()), HttpStatus.SEE_OTHER);
        },
        again);
    EngineScreen.register(c);
  }

  private static String engineId(String id) {
    if (id.isEmpty()) {
      throw new ValidationException("engine_id", "required", "engine_id is required");
    }
    return id;
  }

  private static ValidationException noEngine() {
    return new ValidationException(
        "engine_id", "exists", "engine_id names no engine of the caller's account");
  }

  private static Optional<String> requestId(Console c, Context ctx) {
    return Optional.of(c.http().api().requestId(ctx));
  }

  private static String done(String what, String engine, String pkg) {
    return PATH
        + "?"
        + what
        + "="
        + URLEncoder.encode(engine, StandardCharsets.UTF_8)
        + "&package="
        + URLEncoder.encode(pkg, StandardCharsets.UTF_8);
  }

  private static PackagesPage.Form form(Context ctx) {
    return new PackagesPage.Form(field(ctx, "engine_id"), field(ctx, "package_id"));
  }

  private static String field(Context ctx, String name) {
    String v = ctx.formParam(name);
    return v == null ? "" : v.strip();
  }

  static void show(
      Console c, Context ctx, Session s, PackagesPage.Form form, Optional<Refusal> refusal) {
    Caller caller = s.caller();
    PackageService packages = c.core().packages();
    List<ServicePackage> pool = packages.list(caller);
    List<Engine> engines = c.core().engines().list(caller);
    Map<String, String> engineNames = new LinkedHashMap<>();
    engines.forEach(e -> engineNames.put(e.id(), e.name()));
    Map<String, String> packageNames = new LinkedHashMap<>();
    pool.forEach(p -> packageNames.put(p.id(), p.name()));
    Map<String, Optional<Secret>> secrets = new LinkedHashMap<>();
    for (ServicePackage p : pool) {
      for (ServicePackage.Item i : p.items()) {
        secrets.computeIfAbsent(i.secretId(), id -> secret(c, caller, id));
      }
    }
    List<PackagesPage.Card> cards =
        pool.stream().map(p -> card(packages, p, secrets, engineNames)).toList();
    List<PackagesPage.EngineLine> lines = new ArrayList<>();
    for (Engine e : engines) {
      lines.add(line(lines.size() + 1, e, packageNames));
    }
    Frame frame = c.frame(s, "API Services", "packages");
    if (refusal.isPresent()) {
      frame = frame.withRefusal(refusal.get());
    } else {
      frame = notice(ctx, engines, packageNames).map(frame::withNotice).orElse(frame);
    }
    PackagesPage model =
        new PackagesPage(
            frame,
            figures(c, caller, pool.size(), secrets.keySet()),
            cards,
            lines,
            Scopes.allows(caller, c.http().api(), BIND),
            Scopes.allows(caller, c.http().api(), UNBIND),
            form);
    c.templates().answer(ctx, refusal.map(Refusal::status).orElse(200), "packages.jte", model);
  }

  /** The secret as the caller may see it; empty when it is gone or not the caller's. */
  static Optional<Secret> secret(Console c, Caller caller, String id) {
    try {
      return Optional.of(c.core().vault().get(caller, id));
    } catch (NotFoundException | io.secretsapi.access.PermissionDeniedException e) {
      return Optional.empty();
    }
  }

  /**
   * The document's figures the broker has: packages and the distinct secrets they bundle, and the
   * live grants of those secrets when the key may list tokens ({@code GET /tokens}).
   */
  private static List<PackagesPage.Figure> figures(
      Console c, Caller caller, int packages, Set<String> secrets) {
    List<PackagesPage.Figure> out = new ArrayList<>();
    out.add(new PackagesPage.Figure("fig-packages", "API Service Packages", "" + packages, ""));
    out.add(
        new PackagesPage.Figure("fig-credentials", "Tracked Credentials", "" + secrets.size(), ""));
    if (Scopes.allows(caller, c.http().api(), "GET /tokens")) {
      long live = 0;
      boolean more = false;
      for (String id : secrets) {
        Page<Grant> page =
            c.core()
                .tokens()
                .page(
                    caller,
                    new TokenFilter(
                        Optional.of(id),
                        Optional.empty(),
                        Optional.of("active"),
                        Optional.empty(),
                        LEASES,
                        0));
        live += page.items().size();
        more |= page.nextCursor().isPresent();
      }
      out.add(
          new PackagesPage.Figure(
              "fig-leases", "Live API Leases", live + (more ? "+" : ""), "live grants"));
    }
    return out;
  }

  private static PackagesPage.Card card(
      PackageService packages,
      ServicePackage p,
      Map<String, Optional<Secret>> secrets,
      Map<String, String> engineNames) {
    List<PackagesPage.Item> items = new ArrayList<>();
    Set<String> providers = new LinkedHashSet<>();
    Set<String> distinct = new LinkedHashSet<>();
    for (ServicePackage.Item i : p.items()) {
      Optional<Secret> x = secrets.getOrDefault(i.secretId(), Optional.empty());
      String provider = x.map(Secret::provider).orElse("");
      if (!provider.isEmpty()) {
        providers.add(provider);
      }
      distinct.add(i.secretId());
      items.add(
          new PackagesPage.Item(
              i.secretId(), x.map(Secret::name).orElse(i.secretId()), provider, i.scope()));
    }
    Posture posture = packages.posture(p);
    List<PackagesPage.Reason> reasons =
        posture.reasons().stream()
            .map(
                r ->
                    new PackagesPage.Reason(
                        r.secretId(),
                        secrets
                            .getOrDefault(r.secretId(), Optional.empty())
                            .map(Secret::name)
                            .orElse(r.secretId()),
                        r.why()))
            .toList();
    List<PackagesPage.Ref> bound =
        packages.boundTo(p).stream()
            .map(id -> new PackagesPage.Ref(id, engineNames.getOrDefault(id, id)))
            .toList();
    String summary =
        (providers.isEmpty() ? "" : String.join(" + ", providers) + " · ")
            + distinct.size()
            + (distinct.size() == 1 ? " credential" : " credentials");
    return new PackagesPage.Card(
        p.id(),
        p.name(),
        summary,
        p.tier(),
        posture.state(),
        reasons,
        p.reviewLane(),
        items,
        bound);
  }

  private static PackagesPage.EngineLine line(int n, Engine e, Map<String, String> packageNames) {
    return new PackagesPage.EngineLine(
        String.format(Locale.ROOT, "%02d", n),
        e.id(),
        e.name(),
        e.plan(),
        placement(e),
        e.release(),
        e.bindings().stream()
            .map(
                b ->
                    new PackagesPage.Binding(
                        b.packageId(),
                        packageNames.getOrDefault(b.packageId(), b.packageId()),
                        b.policyId() + " v" + b.policyVersion()))
            .toList());
  }

  /** {@code prod-node-01 / 3 of 6 used · Live frontend / Governed admin}. */
  static String placement(Engine e) {
    StringBuilder b = new StringBuilder(e.placement());
    if (e.slotsTotal() > 0) {
      b.append(" / ").append(e.slotsUsed()).append(" of ").append(e.slotsTotal()).append(" used");
    }
    List<String> states = new ArrayList<>();
    if (!e.frontendState().isEmpty()) {
      states.add(e.frontendState());
    }
    if (!e.adminState().isEmpty()) {
      states.add(e.adminState());
    }
    if (!states.isEmpty()) {
      b.append(" · ").append(String.join(" / ", states));
    }
    return b.toString();
  }

  /** What a bind or unbind just did, only when the bindings now show it so. */
  private static Optional<String> notice(
      Context ctx, List<Engine> engines, Map<String, String> packageNames) {
    String pkg = QueryParams.text(ctx, "package");
    for (String what : List.of("bound", "unbound")) {
      String id = QueryParams.text(ctx, what);
      Optional<Engine> e = engines.stream().filter(x -> x.id().equals(id)).findFirst();
      if (id.isEmpty() || e.isEmpty() || !packageNames.containsKey(pkg)) {
        continue;
      }
      Optional<Engine.Binding> b =
          e.get().bindings().stream().filter(x -> x.packageId().equals(pkg)).findFirst();
      if (what.equals("bound") && b.isPresent()) {
        return Optional.of(
            "bound "
                + packageNames.get(pkg)
                + " to "
                + e.get().name()
                + " · policy "
                + b.get().policyId()
                + " v"
                + b.get().policyVersion());
      }
      if (what.equals("unbound") && b.isEmpty()) {
        return Optional.of("unbound " + packageNames.get(pkg) + " from " + e.get().name());
      }
    }
    return Optional.empty();
  }
}
