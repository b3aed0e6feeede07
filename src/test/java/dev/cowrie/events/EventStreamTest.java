package dev.cowrie.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The live stream over a WebSocket and over the SockJS event-bus bridge. */
class EventStreamTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static TestGateway gateway;
  static WebSocketClient client;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(EventStreamTest.class, java.util.Map.of("COWRIE_OUTBOX_POLL_INTERVAL_MS", "50"));
    client = gateway.vertx.createWebSocketClient();
  }

  @AfterAll
  static void stop() {
    TestGateway.await(client.close());
    gateway.close();
  }

  record Stream(WebSocket socket, List<JsonObject> events) {}

  static Future<WebSocket> connect(String uri, String key) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.port).setURI(uri);
    if (key != null) {
      options.addHeader("Authorization", "Bearer " + key);
    }
    return client.connect(options);
  }

  static Stream stream(String key) {
    WebSocket socket = TestGateway.await(connect("/v1/events/stream", key));
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    socket.textMessageHandler(text -> events.add(new JsonObject(text)));
    return new Stream(socket, events);
  }

  @Test
  void eachMerchantSeesOnlyItsOwnEvents() {
    TestGateway.Merchant a = gateway.createMerchant("Stream A");
    TestGateway.Merchant b = gateway.createMerchant("Stream B");
    Stream streamA = stream(a.secret());
    Stream streamB = stream(b.secret());
    String forA = gateway.recordEvent(a.id(), "test", "payment.succeeded", new JsonObject().put("id", "pay_a"));
    String forB = gateway.recordEvent(b.id(), "test", "payment.failed", new JsonObject().put("id", "pay_b"));
    gateway.recordEvent(a.id(), "live", "payment.succeeded", new JsonObject().put("id", "pay_a_live"));
    String secondForA = gateway.recordEvent(a.id(), "test", "refund.succeeded", new JsonObject().put("id", "re_a"));

    TestGateway.eventually("A gets its two events", WAIT, () -> streamA.events().size() >= 2);
    TestGateway.eventually("B gets its event", WAIT, () -> streamB.events().size() >= 1);
    assertEquals(List.of(forA, secondForA), streamA.events().stream().map(e -> e.getString("id")).toList());
    assertEquals(List.of(forB), streamB.events().stream().map(e -> e.getString("id")).toList());
    assertEquals("payment.succeeded", streamA.events().get(0).getString("type"));
    assertEquals("pay_a", streamA.events().get(0).getJsonObject("data").getJsonObject("object").getString("id"));
    streamA.socket().close();
    streamB.socket().close();
  }

  @Test
  void unauthenticatedHandshakeIsRefused() {
    Throwable failure = TestGateway.await(connect("/v1/events/stream", null).map(ws -> (Throwable) null)
        .recover(Future::succeededFuture));
    assertTrue(failure != null && failure.getMessage().contains("401"), String.valueOf(failure));
    Response plain = gateway.get("/v1/events/stream").bearer(gateway.createMerchant("Plain").secret()).send();
    assertEquals(400, plain.status(), plain.toString());
  }

  @Test
  void revokingTheKeyClosesTheSocket() {
    TestGateway.Merchant merchant = gateway.createMerchant("Revoked Stream");
    Response extra = gateway.post("/v1/api_keys").bearer(merchant.secret()).json(new JsonObject().put("type", "secret")).send();
    Stream stream = stream(extra.json().getString("key"));
    List<Short> closed = new CopyOnWriteArrayList<>();
    stream.socket().closeHandler(done -> closed.add(stream.socket().closeStatusCode()));
    Stream untouched = stream(merchant.secret());

    Response revoked = gateway.post("/v1/api_keys/" + extra.json().getString("id") + "/revoke").bearer(merchant.secret()).send();
    assertEquals(200, revoked.status(), revoked.toString());
    TestGateway.eventually("the revoked key's socket is closed", WAIT, () -> !closed.isEmpty());
    assertEquals((short) 4001, closed.get(0));
    assertEquals("API key revoked", stream.socket().closeReason());

    String id = gateway.recordEvent(merchant.id(), "test", "payment.succeeded", new JsonObject());
    TestGateway.eventually("the other socket still streams", WAIT, () -> untouched.events().size() == 1);
    assertEquals(id, untouched.events().get(0).getString("id"));
    untouched.socket().close();
  }

  @Test
  void sockJsBridgeAllowsOnlyTheCallersOwnAddress() {
    TestGateway.Merchant a = gateway.createMerchant("Bridge A");
    TestGateway.Merchant b = gateway.createMerchant("Bridge B");
    WebSocket socket = TestGateway.await(connect("/v1/eventbus/websocket", a.secret()));
    List<JsonObject> frames = new CopyOnWriteArrayList<>();
    socket.handler(frame -> frames.add(new JsonObject(frame))); // the bridge writes binary frames

    socket.writeTextMessage(register(EventAddresses.stream(b.id(), "test")));
    socket.writeTextMessage(new JsonObject().put("type", "send").put("address", "cowrie.webhooks.redeliver")
        .put("body", new JsonObject()).encode());
    TestGateway.eventually("both refused", WAIT, () -> frames.stream().filter(f -> "err".equals(f.getString("type"))).count() == 2);
    assertTrue(frames.stream().allMatch(f -> "rejected".equals(f.getString("body"))), frames.toString());

    socket.writeTextMessage(register(EventAddresses.stream(a.id(), "test")));
    TestGateway.eventually("registered", WAIT, () -> {
      gateway.recordEvent(b.id(), "test", "payment.succeeded", new JsonObject());
      gateway.recordEvent(a.id(), "test", "payment.succeeded", new JsonObject().put("id", "pay_bridge"));
      return frames.stream().anyMatch(f -> "rec".equals(f.getString("type")));
    });
    List<JsonObject> received = frames.stream().filter(f -> "rec".equals(f.getString("type"))).toList();
    assertTrue(received.stream().allMatch(f -> f.getString("address").equals(EventAddresses.stream(a.id(), "test"))));
    assertEquals("pay_bridge", received.get(0).getJsonObject("body").getJsonObject("data").getJsonObject("object").getString("id"));
    socket.close();

    Throwable anonymous = TestGateway.await(connect("/v1/eventbus/websocket", null)
        .compose(ws -> {
          List<JsonObject> got = new CopyOnWriteArrayList<>();
          ws.handler(frame -> got.add(new JsonObject(frame)));
          ws.writeTextMessage(register(EventAddresses.stream(a.id(), "test")));
          return io.vertx.core.Future.<Throwable>future(p -> ws.closeHandler(v -> p.complete(null)))
              .timeout(10, java.util.concurrent.TimeUnit.SECONDS);
        }).recover(io.vertx.core.Future::succeededFuture));
    assertEquals(null, anonymous, "an unauthenticated bridge session is closed");
  }

  static String register(String address) {
    return new JsonObject().put("type", "register").put("address", address).encode();
  }
}
