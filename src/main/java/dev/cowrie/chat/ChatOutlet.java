package dev.cowrie.chat;

import io.vertx.core.http.ServerWebSocket;

/**
 * One chat socket's outgoing side, bounded: at most {@code pendingMax} frames written but not yet
 * flushed, and never past a full write queue. A socket that falls that far behind is closed with
 * {@link #CLOSE_BEHIND} instead of being buffered without bound or slowing its room; the client
 * reconnects and reads {@code GET /v1/chat/rooms/{id}/messages?after_seq=<last seq it saw>}.
 */
final class ChatOutlet {
  /** An application close code (RFC 6455 4000–4999): this socket fell behind the room. */
  static final short CLOSE_BEHIND = 4008;
  static final String BEHIND_REASON = "fell behind: reconnect and GET /v1/chat/rooms/{id}/messages?after_seq=<last seq seen>";

  private final ServerWebSocket socket;
  private final int pendingMax;
  private int pending;
  private boolean cutOff;

  ChatOutlet(ServerWebSocket socket, int pendingMax) {
    this.socket = socket;
    this.pendingMax = pendingMax;
  }

  /** Writes one encoded frame, or cuts the socket off if it is too far behind. Event loop of the socket only. */
  void send(String frame) {
    if (cutOff || socket.isClosed()) {
      return;
    }
    if (pending >= pendingMax || socket.writeQueueFull()) {
      cutOff = true;
      socket.close(CLOSE_BEHIND, BEHIND_REASON);
      return;
    }
    pending++;
    socket.writeTextMessage(frame).onComplete(written -> pending--);
  }
}
