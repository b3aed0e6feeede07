package dev.cowrie.testing;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * A real HTTP server on loopback standing in for a merchant's webhook endpoint: it keeps every
 * request it receives and answers as the test decides (default 200). It runs on its own Vert.x,
 * so it outlives gateway restarts.
 */
public final class WebhookReceiver implements AutoCloseable {
  /** One received request. */
  public record Received(String path, MultiMap headers, String body) {
    public String header(String name) {
      return headers.get(name);
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger openMax = new AtomicInteger();
  private volatile BiConsumer<HttpServerRequest, Received> answer = (request, got) -> request.response().end("ok");

  public WebhookReceiver() {
    server = TestGateway.await(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      Received got = new Received(request.path(), MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body.toString());
      received.add(got);
      openMax.accumulateAndGet(open.incrementAndGet(), Math::max);
      request.response().endHandler(done -> open.decrementAndGet());
      answer.accept(request, got);
    })).listen(0, "127.0.0.1"));
  }

  /** How to answer from now on; the handler must end the response (or leave it hanging on purpose). */
  public void answer(BiConsumer<HttpServerRequest, Received> answer) {
    this.answer = answer;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public List<Received> receivedOn(String path) {
    return received.stream().filter(got -> got.path().equals(path)).toList();
  }

  /** The most requests that were open at once. */
  public int concurrentMax() {
    return openMax.get();
  }

  public Vertx vertx() {
    return vertx;
  }

  @Override
  public void close() {
    TestGateway.await(server.close().recover(failure -> Future.succeededFuture()));
    TestGateway.await(vertx.close()); // from the test thread: a close chained on an event loop never completes
  }

  public static Buffer bytes(int count) {
    return Buffer.buffer("x".repeat(count));
  }
}
