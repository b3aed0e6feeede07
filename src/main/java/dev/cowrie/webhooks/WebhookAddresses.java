package dev.cowrie.webhooks;

/** Event-bus addresses of the webhooks area (WebhooksVerticle). */
public final class WebhookAddresses {
  public static final String CREATE_ENDPOINT = "cowrie.webhooks.create_endpoint";
  public static final String LIST_ENDPOINTS = "cowrie.webhooks.list_endpoints";
  public static final String GET_ENDPOINT = "cowrie.webhooks.get_endpoint";
  public static final String UPDATE_ENDPOINT = "cowrie.webhooks.update_endpoint";
  public static final String DELETE_ENDPOINT = "cowrie.webhooks.delete_endpoint";
  public static final String LIST_DELIVERIES = "cowrie.webhooks.list_deliveries";
  /** {"id", "page"}: the deliveries of one event (to every endpoint), newest first. */
  public static final String EVENT_DELIVERIES = "cowrie.webhooks.event_deliveries";
  public static final String REDELIVER = "cowrie.webhooks.redeliver";
  /** {"id"}: one signed webhook_endpoint.test event to that endpoint only. */
  public static final String SEND_TEST = "cowrie.webhooks.send_test";
  /** Local send, no body: new deliveries are due; the dispatcher claims now rather than at its next poll. */
  public static final String NUDGE = "cowrie.webhooks.nudge";

  private WebhookAddresses() {}
}
