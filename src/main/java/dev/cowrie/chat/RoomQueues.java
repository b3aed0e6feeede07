package dev.cowrie.chat;

import dev.cowrie.common.CowrieError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Group commit of chat posts. Posts into one room wait in this node's queue for that room while
 * the room's previous batch commits, then everything waiting (up to {@code batchMax}) is stored in
 * one transaction that bumps the room's {@code last_seq} once: one row lock and one fsync for many
 * posts instead of one each. An idle room's post is written at once; the busier the room, the
 * bigger the batch. Across nodes the room row's lock still orders batches, so seqs stay gap-free.
 * The member check and the member list for fan-out are read in the batch's own transaction (once
 * per batch, not a query per post), so a post is stored only if its sender is a member when it
 * commits, and its frames go to the members of that moment. Runs on the ChatVerticle's event loop only.
 */
final class RoomQueues {
  /** Called after each commit with the room's members and the stored messages, in seq order. */
  interface Delivery {
    void deliver(List<Rooms.Member> members, List<JsonObject> messages);
  }

  private record Post(Messages.New message, Promise<JsonObject> stored) {}

  private final Pool pool;
  private final int batchMax;
  private final int membersMax;
  private final Delivery delivery;
  /** Rooms with a batch in flight, and the posts waiting behind it. */
  private final Map<String, ArrayDeque<Post>> busy = new HashMap<>();

  RoomQueues(Pool pool, int batchMax, int membersMax, Delivery delivery) {
    if (batchMax < 1) {
      throw new IllegalArgumentException("chat.batch_posts_max must be at least 1");
    }
    this.pool = pool;
    this.batchMax = batchMax;
    this.membersMax = membersMax;
    this.delivery = delivery;
  }

  /**
   * Stores the message (numbered after everything queued before it), delivers it, then answers it
   * as stored; fails with 404 (the room does not exist for the sender) unless the sender is a member.
   */
  Future<JsonObject> post(Messages.New message) {
    Promise<JsonObject> stored = Promise.promise();
    ArrayDeque<Post> waiting = busy.get(message.roomId());
    Post post = new Post(message, stored);
    if (waiting != null) {
      waiting.add(post);
    } else {
      busy.put(message.roomId(), new ArrayDeque<>());
      write(message.roomId(), List.of(post));
    }
    return stored.future();
  }

  private void write(String roomId, List<Post> batch) {
    // Started inside a future, so even a thrown bug fails this batch instead of leaving the room busy forever.
    Future.succeededFuture(batch).compose(posts -> Messages.insertBatch(pool, posts.stream().map(Post::message).toList(), membersMax))
        .onSuccess(stored -> settle(batch, stored))
        .<Void>mapEmpty()
        .recover(failure -> batch.size() == 1 ? fail(batch.get(0), failure) : oneByOne(batch))
        .onComplete(done -> next(roomId));
  }

  /** A refused batch is retried one post at a time, so one bad post fails alone. */
  private Future<Void> oneByOne(List<Post> batch) {
    Future<Void> chain = Future.succeededFuture();
    for (Post post : batch) {
      chain = chain.compose(ignored -> Messages.insertBatch(pool, List.of(post.message()), membersMax)
          .onSuccess(stored -> settle(List.of(post), stored))
          .<Void>mapEmpty()
          .recover(failure -> fail(post, failure)));
    }
    return chain;
  }

  private static Future<Void> fail(Post post, Throwable failure) {
    post.stored().fail(failure);
    return Future.succeededFuture();
  }

  /** Delivers before answering: a poster that sees 201 knows the frame is on its way to every member. */
  private void settle(List<Post> batch, Messages.Stored stored) {
    if (!stored.messages().isEmpty()) {
      delivery.deliver(stored.members(), stored.messages());
    }
    Map<String, JsonObject> byId = new HashMap<>();
    stored.messages().forEach(message -> byId.put(message.getString("id"), message));
    for (Post post : batch) {
      JsonObject message = byId.get(post.message().id());
      if (message != null) {
        post.stored().complete(message);
      } else {
        post.stored().fail(CowrieError.notFound("chat room", post.message().roomId()));
      }
    }
  }

  private void next(String roomId) {
    ArrayDeque<Post> waiting = busy.get(roomId);
    if (waiting.isEmpty()) {
      busy.remove(roomId);
      return;
    }
    List<Post> batch = new ArrayList<>();
    while (!waiting.isEmpty() && batch.size() < batchMax) {
      batch.add(waiting.poll());
    }
    write(roomId, batch);
  }
}
