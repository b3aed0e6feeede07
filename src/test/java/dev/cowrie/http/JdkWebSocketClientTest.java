package dev.cowrie.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.WalletUsers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that send {@code Content-Length: 0} on the handshake (the JDK's WebSocket client does) can
 * open sockets: the body handler must not read the request to its end before the upgrade.
 */
class JdkWebSocketClientTest {
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(JdkWebSocketClientTest.class);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void theJdkClientOpensThePeoplesSockets() throws Exception {
    var ada = WalletUsers.create(gateway, gateway.createMerchant("JDK sockets"), "ada.jdk");
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (String path : new String[] {"/v1/chat/ws", "/v1/me/stream"}) {
      WebSocket socket = http.newWebSocketBuilder().header("Authorization", "Bearer " + ada.token())
          .buildAsync(URI.create("ws://127.0.0.1:" + gateway.port + path), new WebSocket.Listener() { }).get(20, TimeUnit.SECONDS);
      assertEquals(false, socket.isInputClosed(), path);
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(20, TimeUnit.SECONDS);
    }
  }
}
