package dev.cowrie.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import dev.cowrie.testing.WalletUsers;
import dev.cowrie.testing.WalletUsers.User;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Chat that behaves like chat: posting over the socket, membership changes, read markers, history both ways. */
class ChatPeopleTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static TestGateway gateway;
  static WebSocketClient sockets;
  static TestGateway.Merchant merchant;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(ChatPeopleTest.class);
    sockets = gateway.vertx.createWebSocketClient();
    merchant = gateway.createMerchant("Chatty");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  record Live(WebSocket socket, List<JsonObject> frames) {
    List<JsonObject> ofType(String type) {
      return frames.stream().filter(frame -> type.equals(frame.getString("type"))).toList();
    }
  }

  static Live connect(User user) {
    List<JsonObject> frames = new CopyOnWriteArrayList<>();
    // The handler is set on the event loop as the socket opens, so no early frame ("ready") is missed.
    WebSocket socket = TestGateway.await(sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(gateway.port).setURI("/v1/chat/ws").addHeader("Authorization", "Bearer " + user.token()))
        .map(opened -> opened.textMessageHandler(text -> frames.add(new JsonObject(text)))));
    Live live = new Live(socket, frames);
    TestGateway.eventually("the socket is ready", WAIT, () -> !live.ofType("ready").isEmpty());
    return live;
  }

  static String room(User owner, String... members) {
    Response created = gateway.post("/v1/chat/rooms").bearer(owner.token())
        .json(new JsonObject().put("name", "room of " + owner.username()).put("members", new JsonArray(List.of((Object[]) members)))).send();
    assertEquals(201, created.status(), created.toString());
    return created.json().getString("id");
  }

  static long say(User user, String roomId, String text) {
    Response posted = gateway.post("/v1/chat/rooms/" + roomId + "/messages").bearer(user.token())
        .json(new JsonObject().put("kind", "text").put("text", text)).send();
    assertEquals(201, posted.status(), posted.toString());
    return posted.json().getLong("seq");
  }

  static JsonObject roomListed(User user, String roomId) {
    return gateway.get("/v1/chat/rooms").bearer(user.token()).send().data().stream().map(JsonObject.class::cast)
        .filter(room -> room.getString("id").equals(roomId)).findFirst().orElseThrow();
  }

  static List<Long> seqs(Response list) {
    assertEquals(200, list.status(), list.toString());
    return list.data().stream().map(item -> ((JsonObject) item).getLong("seq")).toList();
  }

  @Test
  void aMessagePostedTwiceOverTheSocketWithOneClientIdIsStoredOnce() {
    User ada = WalletUsers.create(gateway, merchant, "ada.sock");
    User ben = WalletUsers.create(gateway, merchant, "ben.sock");
    String roomId = room(ada, "ben.sock");
    Live adas = connect(ada);
    Live bens = connect(ben);
    String frame = new JsonObject().put("type", "message").put("room", roomId).put("kind", "text").put("text", "hello")
        .put("client_id", "c-1").encode();
    adas.socket().writeTextMessage(frame);
    TestGateway.eventually("the first ack", WAIT, () -> adas.ofType("ack").size() == 1);
    adas.socket().writeTextMessage(frame);
    TestGateway.eventually("the second ack", WAIT, () -> adas.ofType("ack").size() == 2);
    JsonObject first = adas.ofType("ack").get(0);
    assertEquals("c-1", first.getString("client_id"));
    assertEquals(1L, first.getLong("seq"));
    assertEquals(first.getLong("seq"), adas.ofType("ack").get(1).getLong("seq"), "the repeat is acked with the stored seq");
    TestGateway.eventually("ben sees the message", WAIT, () -> bens.ofType("message").size() == 1);
    assertEquals(List.of(1L), seqs(gateway.get("/v1/chat/rooms/" + roomId + "/messages").bearer(ben.token()).send()),
        "stored once");

    adas.socket().writeTextMessage(new JsonObject().put("type", "message").put("room", roomId).put("kind", "text")
        .put("text", "x".repeat(5000)).put("client_id", "c-2").encode());
    TestGateway.eventually("an oversized message is refused", WAIT, () -> adas.ofType("error").size() == 1);
    assertEquals("text", adas.ofType("error").get(0).getJsonObject("error").getString("param"));

    adas.socket().writeTextMessage("{not json");
    TestGateway.eventually("garbage closes the socket", WAIT, adas.socket()::isClosed);
    assertEquals((short) 1007, adas.socket().closeStatusCode());
    Live again = connect(ada);
    again.socket().writeTextMessage("{\"type\":\"shout\"}");
    TestGateway.eventually("an unknown frame type closes the socket", WAIT, again.socket()::isClosed);
    assertEquals((short) 1007, again.socket().closeStatusCode());
    bens.socket().close();
  }

  @Test
  void theOwnerAddsAndRemovesMembersLiveAndOthersMayOnlyLeave() {
    User owner = WalletUsers.create(gateway, merchant, "olu.owner");
    User member = WalletUsers.create(gateway, merchant, "mia.member");
    WalletUsers.create(gateway, merchant, "nia.new");
    User outsider = WalletUsers.create(gateway, merchant, "oz.outside");
    String roomId = room(owner, "mia.member");
    Live mias = connect(member);

    Response added = gateway.post("/v1/chat/rooms/" + roomId + "/members").bearer(owner.token())
        .json(new JsonObject().put("username", "nia.new")).send();
    assertEquals(200, added.status(), added.toString());
    assertEquals(new JsonArray(List.of("mia.member", "nia.new", "olu.owner")), added.json().getJsonArray("members"));
    TestGateway.eventually("members see the addition live", WAIT, () -> mias.ofType("member").stream()
        .anyMatch(frame -> "added".equals(frame.getString("event")) && "nia.new".equals(frame.getJsonObject("user").getString("username"))));

    Response byMember = gateway.post("/v1/chat/rooms/" + roomId + "/members").bearer(member.token())
        .json(new JsonObject().put("username", "oz.outside")).send();
    assertEquals(403, byMember.status(), byMember.toString());
    assertEquals(403, gateway.delete("/v1/chat/rooms/" + roomId + "/members/nia.new").bearer(member.token()).send().status());
    assertEquals(404, gateway.post("/v1/chat/rooms/" + roomId + "/members").bearer(outsider.token())
        .json(new JsonObject().put("username", "oz.outside")).send().status(), "a non-member does not see the room");
    assertEquals(404, gateway.post("/v1/chat/rooms/" + roomId + "/members").bearer(owner.token())
        .json(new JsonObject().put("username", "nobody.here")).send().status());

    Response removed = gateway.delete("/v1/chat/rooms/" + roomId + "/members/nia.new").bearer(owner.token()).send();
    assertEquals(200, removed.status(), removed.toString());
    TestGateway.eventually("members see the removal live", WAIT, () -> mias.ofType("member").stream()
        .anyMatch(frame -> "removed".equals(frame.getString("event"))));

    Response left = gateway.post("/v1/chat/rooms/" + roomId + "/leave").bearer(member.token()).send();
    assertEquals(200, left.status(), left.toString());
    assertEquals(404, gateway.get("/v1/chat/rooms/" + roomId + "/messages").bearer(member.token()).send().status(),
        "after leaving, the room is gone for them");
    mias.socket().close();
  }

  @Test
  void readMarkersUnreadCountsAndHistoryBothWays() {
    User ama = WalletUsers.create(gateway, merchant, "ama.read");
    User kofi = WalletUsers.create(gateway, merchant, "kofi.read");
    String roomId = room(ama, "kofi.read");
    for (int i = 1; i <= 5; i++) {
      say(ama, roomId, "message " + i);
    }
    assertEquals(5L, roomListed(kofi, roomId).getLong("unread"));
    assertEquals(0L, roomListed(ama, roomId).getLong("unread"), "your own messages are not unread");

    Response marked = gateway.post("/v1/chat/rooms/" + roomId + "/read").bearer(kofi.token()).json(new JsonObject().put("seq", 3)).send();
    assertEquals(200, marked.status(), marked.toString());
    assertEquals(3L, marked.json().getLong("last_read_seq"));
    assertEquals(2L, roomListed(kofi, roomId).getLong("unread"));
    assertEquals(3L, roomListed(kofi, roomId).getLong("last_read_seq"));
    gateway.post("/v1/chat/rooms/" + roomId + "/read").bearer(kofi.token()).json(new JsonObject().put("seq", 1)).send();
    assertEquals(3L, roomListed(kofi, roomId).getLong("last_read_seq"), "a marker never moves back");
    assertEquals(400, gateway.post("/v1/chat/rooms/" + roomId + "/read").bearer(kofi.token())
        .json(new JsonObject().put("seq", "three")).send().status());

    String messages = "/v1/chat/rooms/" + roomId + "/messages";
    assertEquals(List.of(3L, 2L), seqs(gateway.get(messages + "?before_seq=4&limit=2").bearer(kofi.token()).send()));
    assertEquals(List.of(3L, 4L), seqs(gateway.get(messages + "?after_seq=2&limit=2").bearer(kofi.token()).send()));
    assertEquals(400, gateway.get(messages + "?before_seq=4&after_seq=1").bearer(kofi.token()).send().status());
  }
}
