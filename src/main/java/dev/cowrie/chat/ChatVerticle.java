package dev.cowrie.chat;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Ids;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.http.Page;
import dev.cowrie.requests.RequestsAddresses;
import dev.cowrie.security.AuthAddresses;
import dev.cowrie.security.Principal;
import dev.cowrie.store.Database;
import dev.cowrie.store.RedisStore;
import dev.cowrie.store.Tenancy;
import dev.cowrie.wallets.TransferCreate;
import dev.cowrie.wallets.WalletsAddresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.Clock;

/**
 * Rooms, members, messages and presence ({@code cowrie.chat.*}). A message is committed before it
 * is published, then published to each member's own address, so every node holding a member's
 * socket delivers it and no one else receives it.
 */
public final class ChatVerticle extends VerticleBase {
  private final CowrieConfig config;
  private final Clock clock;
  private Pool pool;
  private Pool system;
  private RedisStore redis;
  private Presence presence;
  private int membersMax;
  private long timeoutMs;

  public ChatVerticle(CowrieConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  private static final long REPAIR_INTERVAL_MS = 10_000;
  private PendingReceipts pendingReceipts;
  private RoomQueues roomQueues;
  private Membership membership;
  private ClientIds clientIds;

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, config);
    // The receipt repair sweeps every merchant's pending messages: the system role.
    system = Database.systemPool(vertx, config);
    redis = RedisStore.create(vertx, config);
    presence = new Presence(redis, config.chat().presenceTtlMs(), clock);
    membersMax = config.chat().membersMax();
    timeoutMs = config.bus().requestTimeoutMs();
    pendingReceipts = new PendingReceipts(vertx, pool, system, timeoutMs);
    membership = new Membership(vertx, pool, membersMax, timeoutMs);
    clientIds = new ClientIds(redis);
    roomQueues = new RoomQueues(pool, config.chat().batchPostsMax(), membersMax, this::fanOut);
    vertx.setPeriodic(REPAIR_INTERVAL_MS, timer -> pendingReceipts.repair(this::postReceipt));
    return Future.all(List.of(
        Bus.serve(vertx, ChatAddresses.REPAIR_RECEIPTS, cmd -> pendingReceipts.repair(this::postReceipt)
            .map(repaired -> new JsonObject().put("repaired", repaired))).completion(),
        Bus.serve(vertx, ChatAddresses.CREATE_ROOM, this::createRoom).completion(),
        Bus.serve(vertx, ChatAddresses.LIST_ROOMS, cmd -> {
          Principal user = principal(cmd);
          return Tenancy.transaction(pool, user.merchantId(), sql -> Rooms.listFor(sql, user.merchantId(), user.mode(),
              user.userId(), Page.fromJson(cmd.getJsonObject("page"))));
        }).completion(),
        Bus.serve(vertx, ChatAddresses.POST_MESSAGE, this::post).completion(),
        Bus.serve(vertx, ChatAddresses.LIST_MESSAGES, cmd -> {
          Principal user = principal(cmd);
          String roomId = cmd.getString("room_id");
          Page page = Page.fromJson(cmd.getJsonObject("page"));
          return Tenancy.transaction(pool, user.merchantId(), sql -> Rooms.membersFor(sql, user.merchantId(), user.mode(),
                  roomId, user.userId(), membersMax)
              .compose(members -> cmd.getLong("after_seq") != null
                  ? Messages.listAfter(sql, user.merchantId(), user.mode(), roomId, cmd.getLong("after_seq"), page)
                  : cmd.getLong("before_seq") != null
                  ? History.before(sql, user.merchantId(), user.mode(), roomId, cmd.getLong("before_seq"), page)
                  : Messages.list(sql, user.merchantId(), user.mode(), roomId, page)));
        }).completion(),
        Bus.serve(vertx, ChatAddresses.ADD_MEMBER, cmd -> membership.add(principal(cmd), cmd.getString("room_id"),
            cmd.getString("username"))).completion(),
        Bus.serve(vertx, ChatAddresses.REMOVE_MEMBER, cmd -> membership.remove(principal(cmd), cmd.getString("room_id"),
            cmd.getString("username"))).completion(),
        Bus.serve(vertx, ChatAddresses.MARK_READ, cmd -> membership.markRead(principal(cmd), cmd.getString("room_id"),
            cmd.getLong("seq"))).completion(),
        Bus.serve(vertx, ChatAddresses.CONNECTED, cmd -> changePresence(cmd, "joined")).completion(),
        Bus.serve(vertx, ChatAddresses.DISCONNECTED, cmd -> changePresence(cmd, "left")).completion(),
        Bus.serve(vertx, ChatAddresses.HEARTBEAT, cmd -> presence.refresh(connections(cmd.getJsonArray("connections")))
            .map(new JsonObject().put("refreshed", true))).completion(),
        Bus.serve(vertx, ChatAddresses.ONLINE, cmd -> {
          Principal caller = principal(cmd);
          return presence.online(caller.merchantId(), caller.mode());
        }).completion()));
  }

  @Override
  public Future<?> stop() {
    return Future.all(redis.client().close(), system.close());
  }

  /** The room's members, read as the caller's tenant; 404 unless the caller is one. */
  private Future<List<Rooms.Member>> members(Principal user, String roomId) {
    return Tenancy.transaction(pool, user.merchantId(),
        sql -> Rooms.membersFor(sql, user.merchantId(), user.mode(), roomId, user.userId(), membersMax));
  }

  private static Principal principal(JsonObject cmd) {
    return Principal.fromJson(cmd.getJsonObject("principal"));
  }

  private static List<JsonObject> connections(JsonArray array) {
    List<JsonObject> list = new ArrayList<>();
    array.forEach(item -> list.add((JsonObject) item));
    return list;
  }

  private Future<JsonObject> createRoom(JsonObject cmd) {
    Principal user = principal(cmd);
    Map<String, Future<JsonObject>> lookups = new LinkedHashMap<>();
    for (Object name : cmd.getJsonArray("members")) {
      String username = ((String) name).toLowerCase(java.util.Locale.ROOT);
      if (!username.equalsIgnoreCase(user.username())) {
        lookups.computeIfAbsent(username, key -> Bus.<JsonObject>request(vertx, AuthAddresses.FIND_USER, new JsonObject()
                .put("merchant_id", user.merchantId()).put("mode", user.mode()).put("username", name), timeoutMs)
            .recover(failure -> Future.failedFuture(new CowrieError(ErrorCode.UNKNOWN_RECIPIENT,
                "No such user: '" + name + "'.", "members"))));
      }
    }
    return Future.all(new ArrayList<>(lookups.values())).compose(found -> {
      Rooms.Member creator = new Rooms.Member(user.userId(), user.username());
      List<Rooms.Member> members = new ArrayList<>(List.of(creator));
      lookups.values().forEach(f -> members.add(new Rooms.Member(f.result().getString("id"), f.result().getString("username"))));
      return Rooms.create(pool, Ids.next("room"), user.merchantId(), user.mode(), cmd.getString("name"), creator, members);
    });
  }

  /**
   * A text is stored at once: its member check is part of the batch's insert (RoomQueues). A payment
   * request or a transfer has effects of its own, so its member check comes first, then its work.
   */
  private Future<JsonObject> post(JsonObject cmd) {
    Principal user = principal(cmd);
    String roomId = cmd.getString("room_id");
    String clientId = cmd.getString("client_id");
    if (clientId != null) {
      cmd.remove("client_id");
      return clientIds.once(user, roomId, clientId, () -> post(cmd));
    }
    if ("text".equals(cmd.getString("kind"))) {
      return roomQueues.post(newMessage(user, roomId, cmd, null));
    }
    return members(user, roomId)
        .compose(members -> "transfer".equals(cmd.getString("kind")) ? pay(user, roomId, cmd, members)
            : payload(user, roomId, cmd).compose(data -> roomQueues.post(newMessage(user, roomId, cmd, data))));
  }

  private static Messages.New newMessage(Principal user, String roomId, JsonObject cmd, JsonObject data) {
    return new Messages.New(Ids.next("msg"), roomId, user.merchantId(), user.mode(), user.userId(), user.username(),
        cmd.getString("kind"), cmd.getString("text"), data);
  }

  /**
   * A paying message: hold, transfer, receipt (see {@link PendingReceipts}). The transfer is keyed by
   * the client's retry key, so a retry (even after a crash or restart) finds the first attempt's
   * hold, its transfer and, if already posted, its receipt: the money moves once, one receipt appears.
   */
  private Future<JsonObject> pay(Principal user, String roomId, JsonObject cmd, List<Rooms.Member> members) {
    TransferCreate.Fields fields = TransferCreate.Fields.fromJson(cmd);
    String to = fields.to();
    if (members.stream().noneMatch(m -> m.username().equalsIgnoreCase(to))) {
      return Future.failedFuture(new CowrieError(ErrorCode.UNKNOWN_RECIPIENT, "'" + to + "' is not a member of this room.", "to"));
    }
    String transferKey = PendingReceipts.transferKey(roomId, cmd.getString("idempotency_key"));
    JsonObject transfer = TransferCreate.of(user, fields, transferKey).toJson();
    boolean answers = cmd.getString("payment_request") != null;
    return pendingReceipts.holdFor(user, roomId, transferKey).compose(messageId ->
        holdRequest(user, roomId, cmd, transferKey)
            .compose(held -> Bus.<JsonObject>request(vertx, WalletsAddresses.TRANSFER, transfer, timeoutMs))
            .recover(failure -> pendingReceipts.release(user, messageId, answers ? transferKey : null, failure))
            .compose(receipt -> answers ? pendingReceipts.settleRequest(user, transferKey, receipt) : Future.succeededFuture(receipt))
            .compose(receipt -> earlierReceipt(user, roomId, receipt).compose(earlier -> earlier != null
                ? pendingReceipts.drop(user, messageId).map(earlier)
                : storeReceipt(user, roomId, messageId, receipt))));
  }

  /**
   * A transfer answering a payment request first holds its amount against the request (refused if
   * the request is not payable in this room, in this currency, to this payee, or has less left to pay).
   */
  private Future<JsonObject> holdRequest(Principal user, String roomId, JsonObject cmd, String transferKey) {
    if (cmd.getString("payment_request") == null) {
      return Future.succeededFuture();
    }
    return Bus.request(vertx, RequestsAddresses.HOLD, new JsonObject().put("principal", user.toJson())
        .put("id", cmd.getString("payment_request")).put("room_id", roomId).put("to", cmd.getString("to"))
        .put("amount", cmd.getLong("amount")).put("currency", cmd.getString("currency")).put("transfer_key", transferKey), timeoutMs);
  }

  private Future<JsonObject> storeReceipt(Principal user, String roomId, String messageId, JsonObject receipt) {
    JsonObject transfer = receipt.copy();
    transfer.remove("idempotent_replayed");
    return roomQueues.post(new Messages.New(messageId, roomId, user.merchantId(), user.mode(), user.userId(), user.username(),
        "transfer", null, transfer));
  }

  /** The message a first attempt already posted for this transfer, or null. */
  private Future<JsonObject> earlierReceipt(Principal user, String roomId, JsonObject receipt) {
    return receipt.getBoolean("idempotent_replayed", false)
        ? Tenancy.transaction(pool, user.merchantId(),
            sql -> Messages.receiptOf(sql, user.merchantId(), user.mode(), roomId, receipt.getString("id")))
        : Future.succeededFuture(null);
  }

  private Future<JsonObject> payload(Principal user, String roomId, JsonObject cmd) {
    switch (cmd.getString("kind")) {
      case "payment_request" -> {
        JsonObject request = cmd.getJsonObject("request").copy().put("principal", user.toJson()).put("room_id", roomId);
        return Bus.request(vertx, RequestsAddresses.CREATE, request, timeoutMs);
      }
      default -> {
        return Future.succeededFuture(null);
      }
    }
  }

  /** The receipt of a transfer whose message was lost in between (see {@link PendingReceipts}). */
  private Future<JsonObject> postReceipt(Principal sender, String roomId, String messageId, JsonObject transfer) {
    return roomQueues.post(new Messages.New(messageId, roomId, sender.merchantId(), sender.mode(),
        sender.userId(), sender.username(), "transfer", null, transfer));
  }

  /** One publish per stored batch, each frame encoded once; every node's sockets pick their members' frames out of it. */
  private void fanOut(List<Rooms.Member> members, List<JsonObject> messages) {
    JsonArray memberIds = new JsonArray();
    members.forEach(member -> memberIds.add(member.userId()));
    JsonArray frames = new JsonArray();
    messages.forEach(message -> frames.add(new JsonObject().put("type", "message").put("message", message).encode()));
    vertx.eventBus().publish(ChatAddresses.FRAMES, new JsonObject().put("members", memberIds).put("frames", frames));
  }

  private Future<JsonObject> changePresence(JsonObject cmd, String event) {
    JsonObject connection = cmd.getJsonObject("connection");
    Future<Void> stored = event.equals("joined") ? presence.refresh(List.of(connection)) : presence.remove(connection);
    String merchantId = connection.getString("merchant_id");
    return stored.compose(v -> Tenancy.transaction(pool, merchantId, sql -> Rooms.companions(sql, merchantId,
            connection.getString("mode"), connection.getString("user_id"), 10 * membersMax)))
        .map(companions -> {
          JsonObject frame = new JsonObject().put("type", "presence").put("event", event)
              .put("user", new JsonObject().put("id", connection.getString("user_id")).put("username", connection.getString("username")));
          companions.forEach(id -> vertx.eventBus().publish(ChatAddresses.user(id), frame));
          return new JsonObject().put("notified", companions.size());
        });
  }
}
