package dev.cowrie.providers.sandbox;

import dev.cowrie.common.Ids;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the sandbox's signed callbacks, as a provider would: asynchronously, retried a few times
 * with backoff when Cowrie does not answer 2xx. Each event is sent in order after {@code delayMs}.
 */
public final class SandboxCallbacks {
  private static final Logger log = LoggerFactory.getLogger(SandboxCallbacks.class);
  private static final int ATTEMPTS_MAX = 5;
  private final Vertx vertx;
  private final WebClient web;
  private final long delayMs;

  public SandboxCallbacks(Vertx vertx, long delayMs) {
    this.vertx = vertx;
    this.web = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false).setConnectTimeout(5_000));
    this.delayMs = delayMs;
  }

  long delayMs() {
    return delayMs;
  }

  void send(Row charge, String secret, String type, JsonObject data, long afterMs) {
    JsonObject event = new JsonObject().put("id", Ids.next("sbx_evt")).put("type", type)
        .put("created", System.currentTimeMillis() / 1000).put("data", data);
    String url = charge.getString("callback_url");
    Runnable first = () -> attempt(url, secret, event.toBuffer(), 1);
    if (afterMs <= 0) {
      first.run();
    } else {
      vertx.setTimer(afterMs, id -> first.run());
    }
  }

  private void attempt(String url, String secret, Buffer body, int attempt) {
    long timestamp = System.currentTimeMillis() / 1000;
    String signature = "t=" + timestamp + ",v1=" + SandboxAdapter.sign(secret, timestamp, body.getBytes());
    web.postAbs(url).timeout(10_000).putHeader("Content-Type", "application/json")
        .putHeader("Cowrie-Sandbox-Signature", signature).sendBuffer(body)
        .onComplete(done -> {
          boolean ok = done.succeeded() && done.result().statusCode() / 100 == 2;
          if (!ok && attempt < ATTEMPTS_MAX) {
            vertx.setTimer(200L << attempt, id -> attempt(url, secret, body, attempt + 1));
          } else if (!ok) {
            log.warn("Sandbox callback to {} failed {} times; the reconciler will settle it", url, attempt);
          }
        });
  }
}
