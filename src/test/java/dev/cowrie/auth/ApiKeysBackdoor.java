package dev.cowrie.auth;

import dev.cowrie.common.Ids;
import dev.cowrie.common.Secrets;
import dev.cowrie.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Tuple;

/** A live key as the gateway made them before live mode needed KYC: straight into the table, as old data is. */
final class ApiKeysBackdoor {
  private ApiKeysBackdoor() {}

  static Future<String> legacyLiveKey(TestGateway gateway, String merchantId) {
    String plain = ApiKeys.prefix("live", "secret") + Secrets.randomToken(ApiKeys.KEY_BYTES);
    return gateway.sql.preparedQuery("INSERT INTO api_keys (id, merchant_id, mode, kind, key_hash, display) VALUES ($1, $2, 'live', 'secret', $3, 'sk_live_…old')")
        .execute(Tuple.of(Ids.next("key"), merchantId, Buffer.buffer(ApiKeys.hash(plain)))).map(plain);
  }
}
