package dev.cowrie.wallets;

import dev.cowrie.auth.AuditLog;
import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Ids;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.config.Timeouts;
import dev.cowrie.events.Outbox;
import dev.cowrie.http.RequestRecord;
import dev.cowrie.http.Page;
import dev.cowrie.ledger.Ledger;
import dev.cowrie.security.AuthAddresses;
import dev.cowrie.security.Principal;
import dev.cowrie.store.Database;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Wallets and peer-to-peer transfers ({@code cowrie.wallets.*}). A wallet is a {@code user_wallet}
 * ledger account per currency; a transfer is one ledger entry, one transfer row and one
 * {@code transfer.completed} event, committed in one transaction. The ledger locks accounts in a
 * fixed order and refuses to take a wallet below zero, so concurrent transfers in both
 * directions neither deadlock nor overdraw.
 */
public final class WalletsVerticle extends VerticleBase {
  private static final int CREATED = 201; // a transfer's answer
  static final String WALLET = "user_wallet";
  private final CowrieConfig config;
  private Pool pool;
  private long timeoutMs;
  private Recipients recipients;

  private final Clock clock;

  /** {@code clock}: how long a recipient's lookup is remembered. */
  public WalletsVerticle(CowrieConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, config);
    timeoutMs = config.bus().requestTimeoutMs();
    Topups topups = new Topups(vertx, Timeouts.of(config));
    recipients = new Recipients(vertx, timeoutMs, clock);
    return Future.all(List.of(
        Bus.serve(vertx, WalletsAddresses.GET_WALLET, this::wallet).completion(),
        Bus.serve(vertx, WalletsAddresses.TRANSFER, cmd -> transfer(TransferCreate.fromJson(cmd))).completion(),
        Bus.serve(vertx, WalletsAddresses.LIST_TRANSFERS, cmd -> {
          Principal principal = principal(cmd);
          return Tenancy.transaction(pool, principal.merchantId(), sql -> Transfers.list(sql, principal.merchantId(),
              principal.mode(), principal.userId(), cmd.getString("direction"), Page.fromJson(cmd.getJsonObject("page"))));
        }).completion(),
        Bus.serve(vertx, WalletsAddresses.GET_TRANSFER, cmd -> {
          Principal principal = principal(cmd);
          return Tenancy.transaction(pool, principal.merchantId(),
              sql -> Transfers.byId(sql, principal.merchantId(), principal.mode(), principal.userId(), cmd.getString("id")));
        }).completion(),
        Bus.serve(vertx, WalletsAddresses.TOPUP, cmd -> topups.start(TopupCreate.fromJson(cmd))).completion(),
        Bus.serve(vertx, WalletsAddresses.FIND_TRANSFER_BY_KEY, cmd -> {
          Principal sender = principal(cmd);
          return byKey(sender, cmd.getString("idempotency_key")).map(found -> new JsonObject().put("transfer", found));
        }).completion()));
  }

  private Future<JsonObject> byKey(Principal sender, String key) {
    return Tenancy.transaction(pool, sender.merchantId(),
        sql -> Transfers.byKey(sql, sender.merchantId(), sender.mode(), sender.userId(), key));
  }

  private Future<Map<String, Long>> balances(Principal user) {
    return Tenancy.transaction(pool, user.merchantId(),
        sql -> Ledger.balances(sql, user.merchantId(), user.mode(), WALLET, user.userId()));
  }

  private static Principal principal(JsonObject cmd) {
    return Principal.fromJson(cmd.getJsonObject("principal"));
  }

  private Future<JsonObject> wallet(JsonObject cmd) {
    Principal principal = principal(cmd);
    return balances(principal).map(balances -> {
      JsonArray list = new JsonArray();
      balances.forEach((currency, available) -> list.add(new JsonObject().put("currency", currency).put("available", available)));
      return new JsonObject().put("object", "wallet").put("user", principal.username()).put("balances", list)
          .put("livemode", "live".equals(principal.mode()));
    });
  }

  /** Validated fields arrive from the routes (or from chat); the checks here need the database. */
  private Future<JsonObject> transfer(TransferCreate cmd) {
    Principal sender = cmd.principal();
    String to = cmd.fields().to();
    String key = cmd.idempotencyKey();
    if (to.equalsIgnoreCase(sender.username())) {
      return Future.failedFuture(new CowrieError(ErrorCode.SELF_TRANSFER, "You cannot send money to yourself.", "to"));
    }
    RequestRecord request = cmd.request();
    // Over HTTP the key's claim in the transfer's own transaction is the guard; chat's transfers look up their key first.
    Future<JsonObject> earlier = key == null || request.key() != null ? Future.succeededFuture(null)
        : byKey(sender, key);
    return earlier.compose(found -> found != null ? replay(found, cmd)
        : recipients.find(sender.merchantId(), sender.mode(), to)
            .compose(recipient -> pinAllows(sender, cmd.fields()).map(recipient))
            .compose(recipient -> commit(sender, recipient, cmd, request))
            .recover(failure -> explain(sender, cmd.fields().currency(), failure)));
  }

  /** Above the sender's pin_limit the PIN must come along (AuthVerticle keeps PINs and counts wrong ones). */
  private Future<JsonObject> pinAllows(Principal sender, TransferCreate.Fields fields) {
    return Bus.request(vertx, AuthAddresses.CHECK_PIN, new JsonObject().put("principal", sender.toJson())
        .put("amount", fields.amount()).put("pin", fields.pin()), timeoutMs);
  }

  /**
   * currency_mismatch: the sender holds no wallet in that currency at all; insufficient_funds is for
   * one that holds too little. Asked only after the ledger refused, so a transfer that goes through
   * costs no extra query.
   */
  private Future<JsonObject> explain(Principal sender, String currency, Throwable failure) {
    if (!(failure instanceof CowrieError error) || error.code != ErrorCode.INSUFFICIENT_FUNDS) {
      return Future.failedFuture(failure);
    }
    return balances(sender).compose(balances ->
        Future.failedFuture(balances.containsKey(currency) ? failure
            : new CowrieError(ErrorCode.CURRENCY_MISMATCH, "You have no " + currency + " wallet"
                + (balances.isEmpty() ? "" : "; your wallets hold " + String.join(", ", balances.keySet())) + ".", "currency")));
  }

  /**
   * One transaction: the key's claim, the entry and its postings, the transfer row, its event, the
   * audit row and the key's answer. Once the accounts are known, every statement goes out at once
   * (pipelined on the connection): nothing waits on an answer it does not need, and the balance rows,
   * changed last, stay locked for one round trip. A failed check (the key taken, too little money) fails the
   * future, and the transaction rolls back all of it.
   */
  private Future<JsonObject> commit(Principal sender, JsonObject recipient, TransferCreate cmd, RequestRecord request) {
    if (recipient.getString("id").equals(sender.userId())) {
      return Future.failedFuture(new CowrieError(ErrorCode.SELF_TRANSFER, "You cannot send money to yourself.", "to"));
    }
    long amount = cmd.fields().amount();
    String currency = cmd.fields().currency();
    Transfers.New transfer = new Transfers.New(Ids.next("tr"), sender.merchantId(), sender.mode(), sender.userId(),
        sender.username(), recipient.getString("id"), recipient.getString("username"), amount, currency, cmd.fields().note(),
        cmd.idempotencyKey(), OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MICROS));
    List<Ledger.Leg> legs = List.of(
        new Ledger.Leg(new Ledger.AccountRef(sender.merchantId(), sender.mode(), WALLET, sender.userId(), currency), -amount),
        new Ledger.Leg(new Ledger.AccountRef(sender.merchantId(), sender.mode(), WALLET, transfer.recipientId(), currency), amount));
    return Tenancy.transaction(pool, sender.merchantId(), tx -> {
          Future<Void> claimed = request.claim(tx);
          return Ledger.find(tx, legs).compose(entry -> write(tx, transfer, entry, request, claimed));
        })
        .onSuccess(json -> tellBoth(sender.userId(), transfer.recipientId(), json))
        .recover(failure -> {
          // Two requests with one Idempotency-Key raced past the first look-up: the unique index let one win.
          boolean raced = failure instanceof PgException pg && "23505".equals(pg.getSqlState()) && transfer.idempotencyKey() != null;
          return raced ? byKey(sender, transfer.idempotencyKey()).compose(found -> replay(found, cmd)) : Future.failedFuture(failure);
        });
  }

  /** Sends every row of the transfer without awaiting any; answers the transfer once all are written. */
  private static Future<JsonObject> write(SqlConnection tx, Transfers.New transfer, Ledger.Found entry, RequestRecord request,
      Future<Void> claimed) {
    JsonObject json = Transfers.json(transfer, entry.entryId());
    return Future.all(List.of(claimed,
            Transfers.insert(tx, transfer, entry.entryId()),
            Outbox.record(tx, transfer.merchantId(), transfer.mode(), "transfer.completed", json),
            AuditLog.insert(tx, request.auditEntry(transfer.id(), CREATED)),
            request.complete(tx, CREATED, json),
            // Last, so the wallets' balance rows (a hot recipient's above all) are locked only until the commit.
            entry.postNew(tx, transfer.merchantId(), transfer.mode(), "transfer", transfer.id())))
        .map(json);
  }

  /** After the commit, each side's own stream hears of it (GET /v1/me/stream). */
  private void tellBoth(String senderId, String recipientId, JsonObject transfer) {
    vertx.eventBus().publish(WalletsAddresses.person(senderId),
        new JsonObject().put("type", "transfer.sent").put("id", transfer.getString("id")).put("transfer", transfer));
    vertx.eventBus().publish(WalletsAddresses.person(recipientId),
        new JsonObject().put("type", "transfer.received").put("id", transfer.getString("id")).put("transfer", transfer));
  }

  /** The transfer an earlier request with the same key made, if it asked for the same thing. */
  private static Future<JsonObject> replay(JsonObject found, TransferCreate cmd) {
    TransferCreate.Fields asked = cmd.fields();
    boolean same = found.getString("to").equalsIgnoreCase(asked.to()) && found.getLong("amount") == asked.amount()
        && found.getString("currency").equals(asked.currency()) && Objects.equals(found.getString("note"), asked.note());
    return same ? Future.succeededFuture(found.copy().put("idempotent_replayed", true))
        : Future.failedFuture(new CowrieError(ErrorCode.IDEMPOTENCY_KEY_REUSED,
            "This Idempotency-Key was used for a different transfer (" + found.getString("id") + ")."));
  }
}
