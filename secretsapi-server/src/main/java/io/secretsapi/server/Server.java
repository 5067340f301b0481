package io.secretsapi.server;

import static java.util.Objects.requireNonNull;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson3;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.secretsapi.BrokerCore;
import io.secretsapi.access.AccessService;
import io.secretsapi.access.IssuedApiKey;
import io.secretsapi.crypto.Envelope;
import io.secretsapi.crypto.KeyEncryptionKey;
import io.secretsapi.secret.Vault;
import io.secretsapi.storage.Database;
import io.secretsapi.storage.StoreUrl;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * A running broker: the store, the key-encryption key, the features and the HTTP API on one port.
 * {@link #start} returns once the port accepts requests; {@link #close} stops it.
 */
public final class Server implements AutoCloseable {
  static final JsonMapper JSON = Json.mapper();
  private static final Logger LOG = LoggerFactory.getLogger(Server.class);
  private static final String VERSION = "0.1.0";

  private final Database db;
  private final BrokerCore core;
  private final AccessService access;
  private final Javalin app;
  private final ScheduledExecutorService jobs;
  private final Optional<IssuedApiKey> rootKey;
  private final List<RouteSpec> routes;
  private final String openApi;
  private final boolean tls;
  private final io.secretsapi.events.WebhookDispatcher dispatcher;
  private final ProxyRoutes proxy;
  private final McpEndpoint mcp;
  private final org.eclipse.jetty.client.HttpClient webhookClient;
  private final SecretValidator validator;
  private final long started;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final JvmMetrics jvmMetrics;

  private Server(ServerConfig config, Clock clock) {
    KeyEncryptionKey kek = config.kek(true);
    this.db = Database.open(StoreUrl.parse(config.storeUrl()), config.storeOptions());
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.jvmMetrics = JvmMetrics.bindTo(metrics);
    BrokerCore made = null;
    Javalin serving = null;
    try {
      this.core = new BrokerCore(db, kek, clock, config.coreOptions().withMeters(metrics));
      made = core;
      Envelope envelope = core.envelope();
      this.access = core.access();
      Vault vault = core.vault();
      RequestLog requestLog = new RequestLog(metrics, new Probes(metrics));
      this.tls = config.tlsCertFile().isPresent();
      FreeText freeText = new FreeText(core.audit().redactor()::holdsSecret);
      Api[] api = new Api[1];
      ProxyRoutes[] proxy = new ProxyRoutes[1];
      McpEndpoint[] mcp = new McpEndpoint[1];
      SecretValidator[] validator = new SecretValidator[1];
      String[] openApi = new String[1];
      this.app =
          Javalin.create(
              cfg -> {
                configure(cfg, config, requestLog, freeText);
                api[0] =
                    new Api(
                        cfg.routes,
                        access,
                        core.auditBroker(),
                        t -> {
                          try {
                            core.verifier().verify(t);
                            return true;
                          } catch (RuntimeException notGenuine) {
                            return false;
                          }
                        });
                SecretRoutes.register(
                    api[0].feature("secrets"), vault, Optional.of(core.rotations()));
                ScopeRoutes.register(api[0].feature("scopes"), core.scopes());
                TokenRoutes.register(api[0].feature("tokens"), core.tokens(), core.tokenKeys());
                PolicyRoutes.register(api[0].feature("policies"), core.policies(), vault);
                AuditRoutes.register(api[0].feature("audit"), core.trail(), core.checkpoints());
                AccessRoutes.register(api[0].feature("access"), access);
                EventRoutes.register(api[0].feature("events"), core.feed(), vault);
                WebhookRoutes.register(api[0].feature("webhooks"), core.webhooks());
                RotationRoutes.register(api[0].feature("rotations"), core.rotations());
                core.exposure().configure(config.exposureSettings());
                ExposureRoutes.register(api[0].feature("exposure"), core.exposure());
                proxy[0] =
                    new ProxyRoutes(
                        core.tokens().proxy(),
                        core.verifier(),
                        core.cleartext(),
                        core.auditBroker(),
                        config.proxyInsecureUpstreams(),
                        config.proxyTimeout().toMillis(),
                        new ProxyMetrics(metrics));
                proxy[0].register(api[0].feature("proxy"));
                mcp[0] =
                    new McpEndpoint(
                        McpTools.all(core.tokens(), proxy[0], core.packages(), core.engines()),
                        access,
                        core.verifier(),
                        core.auditBroker(),
                        core.audit().redactor()::holdsSecret,
                        config.maxBodyBytes(),
                        VERSION);
                mcp[0].register(api[0].feature("mcp"));
                cfg.jetty.modifyServletContextHandler(mcp[0]::mount);
                core.incidents().useSessions(proxy[0].sessions());
                IncidentRoutes.register(api[0].feature("incidents"), core.incidents());
                ApprovalRoutes.register(api[0].feature("approvals"), core.approvals());
                TopologyRoutes.register(api[0].feature("topology"), core.topology());
                PackageRoutes.register(api[0].feature("packages"), core.packages(), core.engines());
                validator[0] =
                    new SecretValidator(
                        db,
                        vault,
                        core.cleartext(),
                        core.audit(),
                        clock,
                        config.proxyInsecureUpstreams(),
                        config.validationBaseUrls(),
                        config.validationRotationPeriod(),
                        core.policies().engine(),
                        access::isActivePrincipal,
                        core.leadership());
                ValidationRoutes.register(api[0].feature("validation"), validator[0], vault, db);
                OpsRoutes.register(
                    api[0].feature("ops"), db, envelope, vault, core, metrics, () -> openApi[0]);
                io.secretsapi.server.console.Console.register(
                    cfg.routes,
                    core,
                    config.consoleOptions(),
                    new ConsoleTable(api[0]::specs, freeText, validator[0]),
                    clock);
                openApi[0] = JSON.writeValueAsString(OpenApi.document(api[0].specs(), VERSION));
              });
      this.routes = api[0].specs();
      this.openApi = openApi[0];
      this.proxy = proxy[0];
      this.mcp = mcp[0];
      this.validator = validator[0];
      boolean internalReceivers = config.webhooksAllowInternal();
      this.webhookClient = UpstreamClient.start((h, p) -> internalReceivers, 30_000);
      this.dispatcher =
          new io.secretsapi.events.WebhookDispatcher(
              core.webhooks(),
              core.feed(),
              vault,
              clock,
              config.webhooksFirstRetry(),
              UpstreamClient.webhookTransport(webhookClient),
              core.leadership());
      serving = app;
      try {
        app.start();
      } catch (io.javalin.util.JavalinBindException e) {
        serving = null;
        throw new ListenException(
            "cannot listen on "
                + config.listenHost()
                + ":"
                + config.listenPort()
                + ": the address is in use by another process; stop it, or set listen (env"
                + " SECRETSAPI_LISTEN) to a free HOST:PORT",
            e);
      }
      // the root key is made only once the port serves: a start that fails before (a port in use,
      // a TLS file missing) leaves no key that nobody saw, and the next start makes it
      this.rootKey = access.bootstrap();
      dispatcher.start();
      core.rotations().start();
      this.jobs =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "secretsapi-jobs");
                t.setDaemon(true);
                return t;
              });
      jobs.scheduleWithFixedDelay(
          () ->
              runJob(
                  "usage, access times, checkpoint, revocations and policies of other nodes",
                  core::tick),
          1,
          1,
          TimeUnit.SECONDS);
      jobs.scheduleWithFixedDelay(
          () -> runJob("scheduled validations", leading(() -> this.validator.runDue())),
          30,
          30,
          TimeUnit.SECONDS);
      long seal = config.sealInterval().toMillis();
      jobs.scheduleWithFixedDelay(
          // on every node, not only the leader: a grace window must end even when no node leads,
          // and two nodes sealing at once seal each version once (the update re-checks its row)
          () -> runJob("seal expired versions", vault::sealExpired),
          seal,
          seal,
          TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      if (serving != null) {
        serving.stop();
      }
      if (made != null) {
        made.close();
      }
      jvmMetrics.close();
      db.close();
      throw e;
    }
    this.started = System.nanoTime();
    LOG.info(
        "SecretsAPI {} listening on {}; store {}; key-encryption key from {}; insecure upstreams:"
            + " {}",
        VERSION,
        (tls ? "https" : "http") + "://" + config.listenHost() + ":" + port(),
        StoreUrl.parse(config.storeUrl()),
        config.kekJson().isPresent()
            ? "SECRETSAPI_KEK"
            : "file " + config.kekFile().toAbsolutePath().normalize(),
        config.proxyInsecureUpstreams().isEmpty()
            ? "none"
            : String.join(", ", config.proxyInsecureUpstreams()));
  }

  /** The broker could not take its address: nothing was made that a later start would miss. */
  public static final class ListenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ListenException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Starts a broker with the given configuration.
   *
   * @throws ListenException when the address is taken
   */
  public static Server start(ServerConfig config) {
    return new Server(requireNonNull(config, "config"), Clock.systemUTC());
  }

  private static void configure(
      JavalinConfig cfg, ServerConfig config, RequestLog requestLog, FreeText freeText) {
    cfg.startup.showJavalinBanner = false;
    cfg.concurrency.useVirtualThreads = config.virtualThreads();
    // Jetty's cap is the proxy's (model prompts are large); every other route is held to
    // limits.max_body_bytes when its body is read (Bodies.bytes).
    cfg.http.maxRequestSize = Math.max(config.maxBodyBytes(), config.proxyMaxBodyBytes());
    cfg.jsonMapper(new JavalinJackson3(JSON, false));
    // Requests Jetty refuses before any route (a target that is no valid or unambiguous URI, a
    // header too large) get a problem document too, never Jetty's HTML page.
    cfg.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
    cfg.jetty.modifyServletContextHandler(
        context -> context.setErrorHandler(new ProblemErrorHandler()));
    cfg.jetty.host = config.listenHost();
    cfg.jetty.port = config.listenPort();
    if (config.tlsCertFile().isPresent()) {
      var ssl = Tls.contextFactory(config.tlsCertFile().get(), config.tlsKeyFile().orElseThrow());
      cfg.jetty.addConnector(
          (server, http) -> {
            http.addCustomizer(new SecureRequestCustomizer());
            ServerConnector c =
                new ServerConnector(
                    server,
                    new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(http));
            c.setHost(config.listenHost());
            c.setPort(config.listenPort());
            return c;
          });
    }
    cfg.routes.before(
        ctx -> {
          ctx.attribute(FreeText.ATTRIBUTE, freeText);
          RequestIds.assign(ctx);
          if (!ctx.path().startsWith("/proxy/")) {
            ctx.attribute(Bodies.LIMIT, (int) config.maxBodyBytes());
          }
          ctx.header("Cache-Control", "no-store");
          ctx.header("X-Content-Type-Options", "nosniff");
          RequestTargets.check(ctx);
        });
    cfg.routes.exception(Exception.class, (e, ctx) -> Problems.write(ctx, Problems.from(e, ctx)));
    cfg.routes.error(
        404,
        ctx ->
            unlessProblem(
                ctx,
                "not-found",
                "Not found",
                "no route for this method and path; GET /openapi.json lists them"));
    cfg.routes.error(
        405,
        ctx ->
            unlessProblem(
                ctx,
                "method-not-allowed",
                "Method not allowed",
                "the method is not allowed on this path; GET /openapi.json lists what is"));
    cfg.routes.error(
        413,
        ctx ->
            unlessProblem(
                ctx,
                "body-too-large",
                "Payload too large",
                "the request body exceeds limits.max_body_bytes ("
                    + config.maxBodyBytes()
                    + " bytes)"));
    cfg.requestLogger.http(requestLog::record);
  }

  private static void unlessProblem(Context ctx, String type, String title, String detail) {
    String ct = ctx.res().getContentType();
    // a console page that answered 404 itself (an unknown incident, say) is kept: it has a route
    boolean answered =
        ct != null && (ct.startsWith(Problems.CONTENT_TYPE) || ct.startsWith("text/html"));
    if (!answered) {
      boolean body = ctx.statusCode() == 413;
      Problems.write(
          ctx,
          Problems.problem(
              type,
              title,
              ctx.statusCode(),
              detail,
              Problems.instance(ctx),
              body ? "body" : null,
              body ? "max_size" : null,
              null));
    }
  }

  /** {@code job}, run only while this node leads (always on SQLite): one node does it for all. */
  private Runnable leading(Runnable job) {
    return () -> {
      if (core.leadership().leads()) {
        job.run();
      }
    };
  }

  private static void runJob(String name, Runnable job) {
    try {
      job.run();
    } catch (io.secretsapi.storage.NotLeaderException e) {
      LOG.info("background job stopped: {}: {}", name, e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("background job failed: {}: {}", name, e.getMessage());
    }
  }

  /** The port the broker listens on (useful with port 0). */
  public int port() {
    return app.port();
  }

  /** The base URL of the API, such as {@code http://127.0.0.1:8200}. */
  public String baseUrl() {
    return (tls ? "https" : "http") + "://127.0.0.1:" + port();
  }

  /** The root key made on this start, when the store was new: to be shown once, then dropped. */
  public Optional<IssuedApiKey> rootKey() {
    return rootKey;
  }

  /** The API description this broker serves at {@code /openapi.json}. */
  String openApi() {
    return openApi;
  }

  /** The route table: every endpoint and the scope it needs. */
  List<RouteSpec> routes() {
    return routes;
  }

  /**
   * The route table as {@code METHOD path} lines, such as {@code GET /secrets/{id}}: for tools and
   * tests outside this package (the CLI's test that every endpoint has a command).
   */
  public List<String> endpoints() {
    return routes.stream().map(r -> r.method() + " " + r.path()).toList();
  }

  /** What the proxy's upstream client kept from earlier calls: nothing, ever. */
  List<String> proxyClientState() {
    return proxy.retained();
  }

  SecretValidator validator() {
    return validator;
  }

  Database database() {
    return db;
  }

  /** The broker's features, for tests that look behind the API. */
  BrokerCore core() {
    return core;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    dispatcher.close();
    try {
      webhookClient.stop();
    } catch (Exception e) {
      LOG.warn("could not stop the webhook client: {}", e.getMessage());
    }
    app.stop();
    mcp.close();
    proxy.close();
    validator.close();
    jobs.shutdownNow();
    jvmMetrics.close();
    try {
      core.close();
    } catch (RuntimeException e) {
      LOG.warn("could not close the broker cleanly: {}", e.getMessage());
    }
    LOG.info(
        "SecretsAPI {} stopped after {}s",
        VERSION,
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
  }
}
