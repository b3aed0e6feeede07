package dev.cowrie.config;

import io.vertx.core.json.JsonObject;

/** Chat rooms, presence, group commit and the sockets' limits. Section {@code chat} of conf/cowrie.yaml. */
public record ChatConfig(int textCharsMax, int membersMax, long presenceTtlMs, long heartbeatMs, int batchPostsMax, int socketFramesPendingMax) {

  static ChatConfig from(JsonObject section) {
    return new ChatConfig(
        CowrieConfig.integer(section, "text_chars_max"),
        CowrieConfig.integer(section, "members_max"),
        CowrieConfig.number(section, "presence_ttl_ms"),
        CowrieConfig.number(section, "heartbeat_ms"),
        CowrieConfig.integer(section, "batch_posts_max"),
        CowrieConfig.integer(section, "socket_frames_pending_max"));
  }
}
