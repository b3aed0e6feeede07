package dev.cowrie.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cowrie.common.Bus;
import dev.cowrie.security.Principal;
import dev.cowrie.testing.TestGateway;
import dev.cowrie.testing.TestHttp.Response;
import dev.cowrie.testing.WalletUsers.User;
import dev.cowrie.testing.WalletUsers;
import dev.cowrie.wallets.TransferCreate;
import dev.cowrie.wallets.WalletsAddresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A paying chat message whose receipt was never stored (the node died between the transfer and the
 * message): the repair posts the receipt if the money moved, and drops the hold if it did not.
 */
class ChatReceiptRepairTest {
  static TestGateway gateway;
  static TestGateway.Merchant merchant;
  static User ann;
  static User ben;
  static String room;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(ChatReceiptRepairTest.class);
    merchant = gateway.createMerchant("Receipts Shop");
    gateway.enableSandbox(merchant, "receipts_secret_0123456789abcdef");
    ann = WalletUsers.create(gateway, merchant, "ann");
    ben = WalletUsers.create(gateway, merchant, "ben");
    WalletUsers.topUp(gateway, ann, 10_000, "NGN");
    Response created = gateway.post("/v1/chat/rooms").bearer(ann.token())
        .json(new JsonObject().put("name", "lunch").put("members", new JsonArray().add("ben"))).send();
    assertEquals(201, created.status(), created.toString());
    room = created.json().getString("id");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static void holdExpired(String messageId) {
    gateway.query("""
        INSERT INTO chat_pending_messages (id, room_id, merchant_id, mode, sender_id, sender_username, transfer_key, lease_until)
        VALUES ($1, $2, $3, 'test', $4, 'ann', $5, now() - interval '1 second')""",
        messageId, room, merchant.id(), ann.id(), "chat:" + messageId);
  }

  static int repair() {
    JsonObject result = TestGateway.await(Bus.request(gateway.vertx, ChatAddresses.REPAIR_RECEIPTS, new JsonObject(), 10_000));
    return result.getInteger("repaired");
  }

  static JsonArray history() {
    return gateway.get("/v1/chat/rooms/" + room + "/messages").bearer(ben.token()).send().data();
  }

  @Test
  void aTransferWithoutItsReceiptGetsTheReceipt() {
    String messageId = "msg_repair_paid";
    holdExpired(messageId);
    // The transfer committed, then the node died before the message was stored.
    Principal sender = new Principal(Principal.Kind.WALLET_USER, merchant.id(), "test", ann.id(), ann.id(), "ann");
    JsonObject transfer = TestGateway.await(Bus.request(gateway.vertx, WalletsAddresses.TRANSFER,
        TransferCreate.of(sender, new TransferCreate.Fields("ben", 700, "NGN", null, null), "chat:" + messageId).toJson(), 10_000));

    assertEquals(1, repair());
    JsonObject receipt = history().stream().map(JsonObject.class::cast).filter(m -> m.getString("id").equals(messageId))
        .findFirst().orElseThrow(() -> new AssertionError("no receipt in " + history().encode()));
    assertEquals("transfer", receipt.getString("kind"));
    assertEquals(transfer.getString("id"), receipt.getJsonObject("transfer").getString("id"));
    assertEquals(0, gateway.query("SELECT 1 FROM chat_pending_messages WHERE id = $1", messageId).size());
    assertEquals(0, repair(), "settled once");
    gateway.assertLedgerOk();
  }

  @Test
  void aHoldWhoseTransferNeverHappenedIsDroppedWithoutAMessage() {
    String messageId = "msg_repair_unpaid";
    holdExpired(messageId);
    long before = WalletUsers.available(gateway, ann, "NGN");
    assertEquals(1, repair());
    assertEquals(0, gateway.query("SELECT 1 FROM chat_pending_messages WHERE id = $1", messageId).size());
    assertEquals(0, history().stream().map(JsonObject.class::cast).filter(m -> m.getString("id").equals(messageId)).count());
    assertEquals(before, WalletUsers.available(gateway, ann, "NGN"));
  }

  @Test
  void aRefusedTransferLeavesNoHoldAndNoMessage() {
    int messages = history().size();
    Response refused = gateway.post("/v1/chat/rooms/" + room + "/messages").bearer(ann.token()).idempotencyKey("too-much")
        .json(new JsonObject().put("kind", "transfer").put("to", "ben").put("amount", 99_999_999).put("currency", "NGN")).send();
    assertEquals(422, refused.status(), refused.toString());
    assertEquals("insufficient_funds", refused.errorCode());
    assertEquals(0, gateway.query("SELECT 1 FROM chat_pending_messages").size());
    assertEquals(messages, history().size());
  }
}
