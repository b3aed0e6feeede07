package dev.cowrie.checkout;

import dev.cowrie.auth.AuditLog;
import dev.cowrie.common.Bus;
import dev.cowrie.common.Ids;
import dev.cowrie.common.Secrets;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.http.Page;
import dev.cowrie.http.RequestRecord;
import dev.cowrie.security.Principal;
import dev.cowrie.store.Database;
import dev.cowrie.store.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * Owns payment_links ({@code cowrie.checkout.*}): a merchant's reusable page at {@code /l/{slug}}
 * that creates a payment (fixed amount, or chosen by the customer within bounds) and continues to
 * its checkout. Commands arrive validated from PaymentLinkRoutes.
 */
public final class PaymentLinksVerticle extends VerticleBase {
  private static final int CREATED = 201;
  private final CowrieConfig config;
  private Pool pool;
  private Pool system;
  private String publicUrl;

  public PaymentLinksVerticle(CowrieConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, config);
    // The public page finds a link by its slug before its merchant is known.
    system = Database.systemPool(vertx, config);
    publicUrl = config.publicUrl();
    return Future.all(List.of(
        Bus.serve(vertx, CheckoutAddresses.CREATE_LINK, this::create).completion(),
        Bus.serve(vertx, CheckoutAddresses.LIST_LINKS, cmd -> {
          Principal owner = principal(cmd);
          return Tenancy.transaction(pool, owner.merchantId(), sql -> PaymentLinks.list(sql, owner.merchantId(), owner.mode(),
              cmd.getBoolean("active"), Page.fromJson(cmd.getJsonObject("page")), publicUrl));
        }).completion(),
        Bus.serve(vertx, CheckoutAddresses.GET_LINK, cmd -> {
          Principal owner = principal(cmd);
          String id = cmd.getString("id");
          return Tenancy.transaction(pool, owner.merchantId(), sql -> PaymentLinks.one(sql, PaymentLinks.BY_ID,
              Tuple.of(owner.merchantId(), owner.mode(), id), id)).map(row -> PaymentLinks.json(row, publicUrl));
        }).completion(),
        Bus.serve(vertx, CheckoutAddresses.UPDATE_LINK, cmd -> {
          Principal owner = principal(cmd);
          String id = cmd.getString("id");
          return Tenancy.transaction(pool, owner.merchantId(), sql -> PaymentLinks.one(sql, PaymentLinks.UPDATE,
              Tuple.of(owner.merchantId(), owner.mode(), id, cmd.getBoolean("active"), cmd.getString("description")), id))
              .map(row -> PaymentLinks.json(row, publicUrl));
        }).completion(),
        Bus.serve(vertx, CheckoutAddresses.LINK_BY_SLUG, cmd -> PaymentLinks.one(system, PaymentLinks.BY_SLUG,
            Tuple.of(cmd.getString("slug")), cmd.getString("slug"))
            .map(row -> PaymentLinks.json(row, publicUrl).put("merchant", row.getString("merchant_id"))
                .put("mode", row.getString("mode")))).completion()));
  }

  @Override
  public Future<?> stop() {
    return Future.all(pool.close(), system.close());
  }

  private static Principal principal(JsonObject cmd) {
    return Principal.fromJson(cmd.getJsonObject("principal"));
  }

  /** The link, its key's claim and stored answer, and the audit row commit together (the route records its request). */
  private Future<JsonObject> create(JsonObject cmd) {
    Principal owner = principal(cmd);
    RequestRecord request = RequestRecord.of(cmd);
    String id = Ids.next("plink");
    // The slug is public and short enough to type from a poster, yet unguessable (about 95 bits).
    String slug = Secrets.randomToken(12);
    PaymentLinks.New link = new PaymentLinks.New(id, owner.merchantId(), owner.mode(), slug, cmd.getString("currency"),
        cmd.getLong("amount"), cmd.getLong("amount_min"), cmd.getLong("amount_max"), cmd.getString("description"),
        cmd.getString("return_url"), cmd.getBoolean("active", true), cmd.getString("idempotency_key"));
    return Tenancy.transaction(pool, owner.merchantId(), tx -> request.claim(tx)
        .compose(claimed -> tx.preparedQuery(PaymentLinks.INSERT).execute(link.tuple()))
        .compose(rows -> rows.size() == 0
            ? PaymentLinks.one(tx, PaymentLinks.BY_KEY, Tuple.of(owner.merchantId(), owner.mode(), link.idempotencyKey()), id)
            : AuditLog.insert(tx, request.auditEntry(id, CREATED)).map(rows.iterator().next()))
        .map(row -> PaymentLinks.json(row, publicUrl))
        .compose(json -> request.complete(tx, CREATED, json).map(json)));
  }
}
