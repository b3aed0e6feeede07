package dev.cowrie.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code cowrie wallet chat ROOM}: the room's last messages, then the room live over the chat socket
 * (opened with a single-use ticket); each line read from stdin is posted as a socket frame with a
 * fresh client_id. At the end of input it waits for the acks of what it posted, then leaves.
 */
final class WalletChat implements WebSocket.Listener {
  private static final int HISTORY_LINES = 10;
  private static final long ACKS_WAIT_SECONDS = 15;

  private final WalletClient client;
  private final PrintStream out;
  private final boolean json;
  private final Set<String> unacknowledged = ConcurrentHashMap.newKeySet();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final StringBuilder partial = new StringBuilder();
  private String room;

  WalletChat(WalletClient client, PrintStream out, boolean json) {
    this.client = client;
    this.out = out;
    this.json = json;
  }

  int run(String roomId) throws Exception {
    this.room = roomId;
    JsonArray recent = client.get("/v1/chat/rooms/" + roomId + "/messages?limit=" + HISTORY_LINES).getJsonArray("data");
    for (int i = recent.size() - 1; i >= 0; i--) {
      show(recent.getJsonObject(i));
    }
    String ticket = client.post("/v1/realtime/tickets", new JsonObject()).getString("ticket");
    URI uri = URI.create(client.credentials().getString("url").replaceFirst("^http", "ws") + "/v1/chat/ws?ticket=" + ticket);
    WebSocket socket = client.http().newWebSocketBuilder().buildAsync(uri, this).get(15, TimeUnit.SECONDS);
    BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = input.readLine(); line != null && closed.getCount() > 0; line = input.readLine()) {
      if (!line.isBlank()) {
        String clientId = UUID.randomUUID().toString();
        unacknowledged.add(clientId);
        socket.sendText(new JsonObject().put("type", "message").put("room", roomId).put("kind", "text").put("text", line)
            .put("client_id", clientId).encode(), true).get(15, TimeUnit.SECONDS);
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ACKS_WAIT_SECONDS);
    while (!unacknowledged.isEmpty() && closed.getCount() > 0 && System.nanoTime() < deadline) {
      closed.await(50, TimeUnit.MILLISECONDS);
    }
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    if (!unacknowledged.isEmpty()) {
      throw new WalletClient.Failure(unacknowledged.size() + " message(s) not confirmed by the server");
    }
    return 0;
  }

  @Override
  public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      JsonObject frame = new JsonObject(partial.toString());
      partial.setLength(0);
      handle(frame);
    }
    socket.request(1);
    return null;
  }

  private void handle(JsonObject frame) {
    String type = frame.getString("type", "");
    switch (type) {
      case "message" -> {
        if (room.equals(frame.getJsonObject("message").getString("room_id"))) {
          show(frame.getJsonObject("message"));
        }
      }
      case "ack" -> unacknowledged.remove(frame.getString("client_id"));
      case "error" -> {
        unacknowledged.remove(frame.getString("client_id"));
        System.err.println("error: " + frame.getJsonObject("error").getString("message"));
      }
      default -> {
        if (json) {
          out.println(frame.encode());
        }
      }
    }
  }

  private void show(JsonObject message) {
    if (json) {
      out.println(message.encode());
      return;
    }
    String line = switch (message.getString("kind", "text")) {
      case "transfer" -> message.getString("sender") + " paid " + message.getJsonObject("transfer").getLong("amount") + " "
          + message.getJsonObject("transfer").getString("currency") + " to " + message.getJsonObject("transfer").getString("to");
      case "payment_request" -> message.getString("sender") + " asks for " + message.getJsonObject("payment_request").getLong("amount")
          + " " + message.getJsonObject("payment_request").getString("currency") + " ("
          + message.getJsonObject("payment_request").getString("id") + ")";
      default -> message.getString("sender") + ": " + message.getString("text");
    };
    out.println("[" + message.getLong("seq") + "] " + line);
    out.flush();
  }

  @Override
  public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
    closed.countDown();
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void onError(WebSocket socket, Throwable error) {
    System.err.println("error: the chat socket failed: " + error.getMessage());
    closed.countDown();
  }
}
