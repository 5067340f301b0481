package io.secretsapi.server;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.secretsapi.audit.AuditBroker;
import io.secretsapi.audit.AuditEntry;
import io.secretsapi.audit.AuditLog;
import io.secretsapi.proxy.Injection;
import io.secretsapi.proxy.ProxyPaths;
import io.secretsapi.proxy.StreamRedactor;
import io.secretsapi.secret.CleartextSecrets;
import io.secretsapi.token.InvalidTokenException;
import io.secretsapi.token.ProxyGrants;
import io.secretsapi.token.TokenVerifier;
import io.secretsapi.token.Upstream;
import io.secretsapi.token.VerifiedToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;

/**
 * {@code ANY /proxy/{host}/{path...}}: forwards one call with a scoped token's secret injected, and
 * streams the answer back as it arrives. The agent holds the token, never the key.
 *
 * <p>In order: the one verifier checks the token; {@link ProxyGrants} checks the scope (proxy,
 * host, method, path), takes a use and the body's amount, asks the policy gate and records the
 * grant; the host's addresses are resolved and refused when internal (unless the operator lists the
 * host in {@code proxy.insecure_upstreams}), and the client connects to exactly the checked
 * addresses; the caller's {@code Authorization}, hop-by-hop headers and {@code Accept-Encoding} are
 * dropped, the credential injected; the answer streams back with every spelling of the credential
 * redacted, and a redirect to another host is refused. A watchdog cuts a stream whose token is
 * revoked (as soon as the revocation takes effect on this node) or expires (within 200 ms). Each
 * call ends with a {@code proxy.complete} record (status, latency, bytes; never a body, never the
 * query's values).
 */
final class ProxyRoutes implements AutoCloseable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProxyRoutes.class);

  /** Answers up to this size with a length are sent in one piece; larger ones stream. */
  static final long SMALL_ANSWER = 256 * 1024;

  private final ProxyGrants grants;
  private final TokenVerifier verifier;
  private final CleartextSecrets cleartext;
  private final AuditBroker audit;
  private final Set<String> insecure;
  private final long timeoutMillis;
  private final HttpClient client;
  private final ProxyMetrics metrics;
  private final Map<Stream, String> streams = new ConcurrentHashMap<>();
  private final ScheduledExecutorService watchdog =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "secretsapi-proxy-watchdog");
            t.setDaemon(true);
            return t;
          });

  /** One call being streamed: the upstream answer, and why it was cut, if it was. */
  private static final class Stream {
    volatile Response response;
    volatile StreamCut cut;
    volatile String secretId = "";
  }

  /** Streams cut on this node because their grant may no longer be used, per secret. */
  private final Map<String, java.util.concurrent.atomic.AtomicLong> goneBySecret =
      new ConcurrentHashMap<>();

  /** Set when the server stops: the streams it ends are cut for that reason. */
  private volatile boolean closing;

  ProxyRoutes(
      ProxyGrants grants,
      TokenVerifier verifier,
      CleartextSecrets cleartext,
      AuditBroker audit,
      Set<String> insecureUpstreams,
      long timeoutMillis,
      ProxyMetrics metrics) {
    this.grants = requireNonNull(grants, "grants");
    this.verifier = requireNonNull(verifier, "verifier");
    this.cleartext = requireNonNull(cleartext, "cleartext");
    this.audit = requireNonNull(audit, "audit");
    this.insecure = Set.copyOf(insecureUpstreams);
    this.timeoutMillis = timeoutMillis;
    this.metrics = requireNonNull(metrics, "metrics");
    this.client = UpstreamClient.start(insecure, Math.min(timeoutMillis, 60_000));
    // A revocation cuts its token's streams at once; expiry is found by the sweep.
    verifier.onRevocation(
        () -> {
          if (!streams.isEmpty() && !watchdog.isShutdown()) {
            try {
              watchdog.execute(this::checkStreams);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
              // the server is stopping
            }
          }
        });
    watchdog.scheduleWithFixedDelay(this::checkStreams, 200, 200, TimeUnit.MILLISECONDS);
  }

  void register(Api api) {
    for (String method : Upstream.METHODS) {
      api.token(
              method,
              "/proxy/{host}/<path>",
              "Forward a call to an upstream of the token's scope with the secret injected;"
                  + " the answer streams back")
          .optionalBody(Object.class)
          .bodyTypes("*/*")
          .answersWith(Api.UPSTREAM_STATUS, "*/*", JsonSchema.any())
          .serve(this::handle);
    }
  }

  /** One granted call on its way: what the end-of-call record names. */

  /**
   * Sends {@code req} and waits for the upstream's answer (its status and headers) at most the
   * proxy's timeout; refuses a redirect to another host, which the proxy does not follow.
   */
  private Response answer(
      Request req, InputStreamResponseListener listener, Exchange x, Stream stream)
      throws Exception {
    req.send(listener);
    Response resp;
    try {
      resp = listener.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      x.meters().unreachable();
      throw upstreamFailed(e.getCause() == null ? e : e.getCause(), x.ok());
    }
    x.meters().answered(System.nanoTime() - x.start());
    stream.response = resp;
    String location = resp.getHeaders().get("Location");
    if (resp.getStatus() / 100 == 3
        && location != null
        && !ProxyCalls.sameHost(location, x.host())) {
      resp.abort(new IOException("redirect to another host"));
      throw new UpstreamRefusedException(
          "the upstream redirected to another host; the proxy does not follow it",
          x.ok().auditRef());
    }
    return resp;
  }

  private record Exchange(
      ProxyGrants.Authorized ok,
      String method,
      String host,
      String path,
      long start,
      int sent,
      ProxyMetrics.Host meters) {}

  private void handle(Context ctx) throws Exception {
    String token = ProxyCalls.bearer(ctx);
    String host = ProxyPaths.host(ctx.pathParam("host"));
    String prefix = "/proxy/" + ctx.pathParam("host");
    String rawUri = ctx.req().getRequestURI();
    String path =
        ProxyPaths.path(
            rawUri.length() > prefix.length() ? rawUri.substring(prefix.length()) : "/");
    String method = ctx.method().name();
    // The whole target is checked before anything is granted or counted.
    URI target = target(host, path, ctx.queryString());
    byte[] body = ctx.bodyAsBytes();
    VerifiedToken t = grants.verify(token, Optional.of(RequestIds.of(ctx)));
    Optional<BigDecimal> amount = grants.amountField(t).map(f -> ProxyCalls.amountOf(body, f));
    ProxyGrants.Authorized ok =
        grants.authorize(
            t, new ProxyGrants.Call(host, method, path, amount), Optional.of(RequestIds.of(ctx)));
    String value = cleartext.open(ok.value());
    Injection injection = ok.value().injection();
    StreamRedactor redactor = new StreamRedactor(injection.spellings(value));
    Request req;
    try {
      req =
          upstreamRequest(
              ctx.headerMap(),
              ctx.contentType(),
              injection.target(target, value),
              method,
              body,
              injection,
              value);
    } catch (Injection.UnfitValueException unfit) {
      throw new UpstreamRefusedException(unfit.getMessage(), ok.auditRef());
    }
    Exchange x =
        new Exchange(ok, method, host, path, System.nanoTime(), body.length, metrics.host(host));
    Stream stream = new Stream();
    stream.secretId = ok.secretId();
    streams.put(stream, token);
    InputStreamResponseListener listener = new InputStreamResponseListener();
    try {
      Response resp = answer(req, listener, x, stream);
      long length = resp.getHeaders().getLongField("Content-Length");
      boolean head = method.equals("HEAD");
      // A small answer is read whole before anything of it is written: when it breaks off, the
      // caller gets the broker's problem document, not the upstream's headers over it.
      byte[] whole =
          !head && length >= 0 && length <= SMALL_ANSWER && !ProxyCalls.isEventStream(resp)
              ? ProxyCalls.readWhole(listener, (int) length, redactor, ok.auditRef())
              : null;
      ctx.status(resp.getStatus());
      ProxyHeaders.copy(resp.getHeaders(), ctx.res(), redactor::redact);
      ctx.header("X-SecretsAPI-Audit-Ref", ok.auditRef());
      if (head) {
        // No body follows; the length is the one a GET would have.
        listener.getInputStream().close();
        if (length >= 0) {
          ctx.res().setContentLengthLong(length);
        }
        record(x, resp.getStatus(), 0, "done", "answered " + resp.getStatus());
      } else if (whole != null) {
        ctx.res().setContentLength(whole.length);
        OutputStream out = ctx.res().getOutputStream();
        out.write(whole);
        out.flush();
        record(x, resp.getStatus(), whole.length, "done", "answered " + resp.getStatus());
      } else {
        sendStream(ctx, listener, redactor, stream, x, resp, ok.value().provider());
      }
    } finally {
      streams.remove(stream);
    }
  }

  /**
   * An answer read whole for a caller that cannot take a stream (an agent's MCP tool call): the
   * upstream's status, its content type, and at most {@link #SMALL_ANSWER} bytes of its body with
   * every spelling of the credential redacted.
   */
  record WholeAnswer(
      int status, String contentType, byte[] body, boolean truncated, String auditRef) {}

  /**
   * One call through the proxy for a caller outside HTTP routing (the MCP tool {@code
   * call_upstream}): the same checks, grant, injection, redaction and records as {@link #handle},
   * with the answer read whole (cut at {@link #SMALL_ANSWER} bytes) instead of streamed.
   *
   * @param headers the caller's headers for the upstream; its credentials and hop-by-hop headers
   *     are dropped as on the HTTP route
   */
  WholeAnswer callWhole(
      String token,
      String hostAndPort,
      String pathAndQuery,
      String method,
      Map<String, String> headers,
      byte[] body,
      String requestId)
      throws Exception {
    if (!Upstream.METHODS.contains(method)) {
      throw new io.secretsapi.ValidationException(
          "method", "enum", "method must be one of " + String.join(", ", Upstream.METHODS));
    }
    String host = ProxyPaths.host(hostAndPort);
    int q = pathAndQuery.indexOf('?');
    String path = ProxyPaths.path(q < 0 ? pathAndQuery : pathAndQuery.substring(0, q));
    URI target = target(host, path, q < 0 ? null : pathAndQuery.substring(q + 1));
    VerifiedToken t = grants.verify(token, Optional.of(requestId));
    Optional<BigDecimal> amount = grants.amountField(t).map(f -> ProxyCalls.amountOf(body, f));
    ProxyGrants.Authorized ok =
        grants.authorize(
            t, new ProxyGrants.Call(host, method, path, amount), Optional.of(requestId));
    String value = cleartext.open(ok.value());
    Injection injection = ok.value().injection();
    StreamRedactor redactor = new StreamRedactor(injection.spellings(value));
    String type =
        headers.entrySet().stream()
            .filter(e -> e.getKey().equalsIgnoreCase("Content-Type"))
            .map(Map.Entry::getValue)
            .findFirst()
            .orElse(body.length > 0 ? "application/json" : null);
    Request req;
    try {
      req =
          upstreamRequest(
              headers, type, injection.target(target, value), method, body, injection, value);
    } catch (Injection.UnfitValueException unfit) {
      throw new UpstreamRefusedException(unfit.getMessage(), ok.auditRef());
    }
    Exchange x =
        new Exchange(ok, method, host, path, System.nanoTime(), body.length, metrics.host(host));
    Stream stream = new Stream();
    stream.secretId = ok.secretId();
    streams.put(stream, token);
    InputStreamResponseListener listener = new InputStreamResponseListener();
    try {
      Response resp = answer(req, listener, x, stream);
      byte[] kept;
      boolean truncated;
      try (InputStream in = listener.getInputStream()) {
        byte[] raw = in.readNBytes((int) SMALL_ANSWER + 1);
        truncated = raw.length > SMALL_ANSWER;
        if (truncated) {
          resp.abort(new IOException("the answer is larger than an MCP tool result holds"));
          raw = java.util.Arrays.copyOf(raw, (int) SMALL_ANSWER);
        }
        // a cut answer never releases what was held back as the start of a spelling
        kept =
            EventFrames.concat(
                redactor.next(raw, 0, raw.length), truncated ? redactor.cut() : redactor.finish());
      } catch (IOException broke) {
        if (stream.cut != null) {
          throw new UpstreamRefusedException(
              "the broker cut the call: " + stream.cut.why(),
              AuditLog.ref(record(x, resp.getStatus(), 0, "deny", stream.cut.why())));
        }
        throw new UpstreamRefusedException(
            "the upstream's answer broke off before its end", ok.auditRef());
      }
      String contentType = resp.getHeaders().get("Content-Type");
      record(
          x,
          resp.getStatus(),
          kept.length,
          "done",
          "answered "
              + resp.getStatus()
              + (truncated ? ", cut to " + SMALL_ANSWER + " bytes" : ""));
      return new WholeAnswer(
          resp.getStatus(),
          contentType == null ? "" : redactor.redact(contentType),
          kept,
          truncated,
          ok.auditRef());
    } finally {
      streams.remove(stream);
    }
  }

  /**
   * The upstream's URI, parsed here, before anything is granted or counted: whatever the client
   * would refuse later (after a use was taken) is refused now, naming the part at fault.
   */
  private URI target(String host, String path, String query) {
    String scheme = insecure(host) ? "http://" : "https://";
    URI u;
    try {
      u = new URI(scheme + host + path);
    } catch (java.net.URISyntaxException e) {
      throw new io.secretsapi.ValidationException(
          "path", "path", "the host and path do not make a valid URI");
    }
    if (u.getHost() == null
        || !(u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort())).equals(host)) {
      throw new io.secretsapi.ValidationException(
          "host", "host", "host must be a name such as api.openai.com");
    }
    try {
      return new URI(scheme + host + path + (query == null ? "" : "?" + query));
    } catch (java.net.URISyntaxException e) {
      throw new io.secretsapi.ValidationException(
          "query", "format", "the query string is not a valid URI query");
    }
  }

  /** True when the operator lets {@code host} ({@code name} or {@code name:port}) be internal. */
  private boolean insecure(String host) {
    int colon = host.indexOf(':');
    return colon < 0
        ? insecure.contains(host)
        : UpstreamClient.insecure(
            insecure, host.substring(0, colon), Integer.parseInt(host.substring(colon + 1)));
  }

  private Request upstreamRequest(
      Map<String, String> headers,
      String contentType,
      URI target,
      String method,
      byte[] body,
      Injection injection,
      String value) {
    Request req =
        client
            .newRequest(target)
            .method(method)
            .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
            .headers(
                h -> {
                  headers.forEach(
                      (name, v) -> {
                        if (ProxyCalls.forwarded(name, injection)) {
                          h.put(name, v);
                        }
                      });
                  // Plain bytes back, so that the credential can be redacted from the answer.
                  h.put("Accept-Encoding", "identity");
                  if (injection.inHeader()) {
                    h.put(injection.header(), injection.headerValue(value));
                  }
                });
    if (body.length > 0) {
      String type = contentType;
      req.body(new BytesRequestContent(type == null ? "application/octet-stream" : type, body));
    }
    return req;
  }

  /**
   * An answer that streams: each chunk leaves as it arrives (an event stream's, by whole events),
   * until the end or a cut, which ends it with the provider's error event ({@link StreamCut}).
   */
  private void sendStream(
      Context ctx,
      InputStreamResponseListener listener,
      StreamRedactor redactor,
      Stream stream,
      Exchange x,
      Response resp,
      String provider)
      throws IOException {
    OutputStream out = ctx.res().getOutputStream();
    boolean events = ProxyCalls.isEventStream(resp);
    EventFrames frames = new EventFrames();
    long bytes = 0;
    String failure = "";
    byte[] buf = new byte[16 * 1024];
    try (InputStream in = listener.getInputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0 && stream.cut == null) {
        byte[] clean = redactor.next(buf, 0, n);
        if (events) {
          clean = frames.whole(clean);
        }
        if (clean.length > 0) {
          try {
            out.write(clean);
            out.flush();
          } catch (IOException callerGone) {
            // The caller went away: nobody to tell, and the upstream did not fail.
            record(x, resp.getStatus(), bytes, "done", "the caller closed the connection");
            return;
          }
          bytes += clean.length;
        }
      }
    } catch (IOException readFailed) {
      if (stream.cut == null) {
        stream.cut = closing ? StreamCut.stopping() : StreamCut.upstreamFailed(readFailed);
        failure = " (" + readFailed.getClass().getSimpleName() + ")";
      }
    }
    StreamCut cut = stream.cut;
    if (cut != null) {
      // A half event never reaches the caller; the error event is one of its own.
      String ref = AuditLog.ref(record(x, resp.getStatus(), bytes, "deny", cut.why() + failure));
      out.write(cut.event(provider, events, ref));
      out.flush();
      return;
    }
    byte[] rest = EventFrames.concat(frames.rest(), redactor.finish());
    out.write(rest);
    out.flush();
    record(x, resp.getStatus(), bytes + rest.length, "done", "answered " + resp.getStatus());
  }

  private long record(Exchange x, int status, long bytes, String decision, String why) {
    ProxyGrants.Authorized ok = x.ok();
    long ms = (System.nanoTime() - x.start()) / 1_000_000;
    x.meters().ended(status, x.sent(), bytes, decision.equals("deny"));
    AuditEntry e =
        AuditEntry.of("proxy.complete", ok.token().subject(), decision)
            .subject(ok.token().subject())
            .secret(ok.secretId())
            .token(ok.token().id())
            .scope(ok.token().scope())
            .environment(ok.token().environment())
            .status(status)
            .reason(
                x.method()
                    + " "
                    + x.host()
                    + x.path()
                    + ": "
                    + why
                    + ", "
                    + bytes
                    + " bytes in "
                    + ms
                    + " ms")
            .build();
    if (decision.equals("deny")) {
      try {
        return audit.record(e); // the caller is about to be told the cut's audit ref
      } catch (RuntimeException failed) {
        return 0;
      }
    }
    // The answer has left; its grant was recorded durably before forwarding. The end of the call
    // joins the next group commit without holding the caller.
    audit
        .recordLater(e)
        .exceptionally(
            failed -> {
              LOG.warn("the end of a proxied call could not be recorded: {}", failed.getMessage());
              return 0L;
            });
    return 0;
  }

  private RuntimeException upstreamFailed(Throwable cause, ProxyGrants.Authorized ok) {
    if (cause instanceof UpstreamClient.BlockedUpstreamException b) {
      return new UpstreamRefusedException(b.getMessage(), ok.auditRef());
    }
    return new UpstreamRefusedException(
        "the upstream could not be reached: " + cause.getClass().getSimpleName(), ok.auditRef());
  }

  private void checkStreams() {
    for (Map.Entry<Stream, String> e : streams.entrySet()) {
      try {
        verifier.verify(e.getValue());
      } catch (InvalidTokenException gone) {
        cutGone(e.getKey(), gone);
      } catch (RuntimeException ignored) {
        // keep watching the others
      }
    }
  }

  /** Cuts a stream whose token may no longer be used, once, counting it under its secret. */
  private void cutGone(Stream s, InvalidTokenException gone) {
    synchronized (s) {
      if (s.cut != null) {
        return;
      }
      s.cut = StreamCut.tokenGone(gone.getMessage());
      goneBySecret
          .computeIfAbsent(s.secretId, k -> new java.util.concurrent.atomic.AtomicLong())
          .incrementAndGet();
      Response r = s.response;
      if (r != null) {
        r.abort(new IOException(s.cut.why()));
      }
    }
  }

  /**
   * The sessions an incident's step 3 terminates ({@link io.secretsapi.incident.Sessions}): how
   * many streams of a secret this node has cut because their grant went, and a sweep that cuts
   * those left now, without waiting for the watchdog.
   */
  io.secretsapi.incident.Sessions sessions() {
    return new io.secretsapi.incident.Sessions() {
      @Override
      public long cutSoFar(String secretId) {
        var n = goneBySecret.get(secretId);
        return n == null ? 0 : n.get();
      }

      @Override
      public void terminate(String secretId) {
        for (Map.Entry<Stream, String> e : streams.entrySet()) {
          if (!e.getKey().secretId.equals(secretId)) {
            continue;
          }
          try {
            verifier.verify(e.getValue());
          } catch (InvalidTokenException gone) {
            cutGone(e.getKey(), gone);
          } catch (RuntimeException ignored) {
            // keep cutting the others
          }
        }
      }
    };
  }

  /** What the upstream client holds from earlier calls; always empty (for tests). */
  java.util.List<String> retained() {
    return UpstreamClient.retained(client);
  }

  @Override
  public void close() {
    closing = true;
    watchdog.shutdownNow();
    try {
      client.stop();
    } catch (Exception ignored) {
      // stopping
    }
  }
}
