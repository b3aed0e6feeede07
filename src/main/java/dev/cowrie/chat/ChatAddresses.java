package dev.cowrie.chat;

import dev.cowrie.security.PersonAddresses;
/** Event-bus addresses of the chat area (ChatVerticle) and the per-user fan-out addresses. */
public final class ChatAddresses {
  public static final String CREATE_ROOM = "cowrie.chat.create_room";
  public static final String LIST_ROOMS = "cowrie.chat.list_rooms";
  public static final String POST_MESSAGE = "cowrie.chat.post_message";
  public static final String LIST_MESSAGES = "cowrie.chat.list_messages";
  public static final String ADD_MEMBER = "cowrie.chat.add_member";
  public static final String REMOVE_MEMBER = "cowrie.chat.remove_member";
  public static final String MARK_READ = "cowrie.chat.mark_read";
  public static final String CONNECTED = "cowrie.chat.connected";
  public static final String DISCONNECTED = "cowrie.chat.disconnected";
  public static final String HEARTBEAT = "cowrie.chat.heartbeat";
  public static final String ONLINE = "cowrie.chat.online";
  /**
   * Stored messages, published once per batch to every node: {@code {"members":[user ids],"frames":[encoded frames]}};
   * each node writes the frames to its sockets of those members.
   */
  public static final String FRAMES = "cowrie.chat.frames";
  /** Frames for one user, published to whichever nodes hold that user's sockets. */
  public static final String USER_PREFIX = PersonAddresses.CHAT_USER_PREFIX;

  /** Settles paying messages whose receipt was not stored (also runs every 10 s). */
  public static final String REPAIR_RECEIPTS = "cowrie.chat.repair_receipts";

  private ChatAddresses() {}

  public static String user(String userId) {
    return PersonAddresses.chatUser(userId);
  }
}
