package dev.cowrie.payments;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * Serves {@link PaymentAddresses#FIND_BY_PROVIDER_REFERENCE} for callback intake, which knows a
 * connection and the provider's references but not yet the payment. Runs on the system role: the
 * merchant is the connection's, named in the lookup.
 */
final class ReferenceMatches {
  // A refund event may name only the refund (the sandbox sends our refund id and its own refund id).
  private static final String FIND_PAYMENT = """
      SELECT id FROM payments WHERE merchant_id = $1 AND mode = $2 AND connection_id = $3
        AND (provider_reference = $4 OR provider_charge_ref = $5 OR id = $5
          OR id IN (SELECT payment_id FROM refunds WHERE merchant_id = $1 AND mode = $2 AND (id = $5 OR provider_reference = $4)))
      LIMIT 1""";
  private static final String PENDING_REFUND = """
      SELECT id FROM refunds WHERE payment_id = $1 AND status = 'pending'
        AND (id = $2 OR provider_reference = $3 OR amount = $4) ORDER BY id LIMIT 1""";

  private ReferenceMatches() {}

  static Future<ReferenceLookup.Match> find(SqlClient system, ReferenceLookup lookup) {
    return system.preparedQuery(FIND_PAYMENT)
        .execute(Tuple.of(lookup.merchantId(), lookup.mode(), lookup.connectionId(),
            String.valueOf(lookup.providerReference()), String.valueOf(lookup.reference())))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("id"))
        .compose(paymentId -> paymentId == null || !lookup.refund()
            ? Future.succeededFuture(new ReferenceLookup.Match(paymentId, null))
            : pendingRefund(system, paymentId, lookup).map(refundId -> new ReferenceLookup.Match(paymentId, refundId)));
  }

  private static Future<String> pendingRefund(SqlClient system, String paymentId, ReferenceLookup lookup) {
    return system.preparedQuery(PENDING_REFUND)
        .execute(Tuple.of(paymentId, String.valueOf(lookup.reference()), String.valueOf(lookup.providerReference()),
            lookup.amount() == null ? -1L : lookup.amount()))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("id"));
  }
}
