package dev.cowrie.events;

/** Event-bus addresses of the events area. */
public final class EventAddresses {
  /** Published per merchant and mode: {@code cowrie.events.<merchant>.<mode>}. */
  public static final String STREAM_PREFIX = "cowrie.events.";
  /** Request: is the Kafka producer connected? Answered by the EventsVerticle when Kafka is on. */
  public static final String KAFKA_HEALTH = "cowrie.events.kafka_health";
  public static final String LIST = "cowrie.events.list";
  public static final String GET = "cowrie.events.get";
  /** {"principal", "payment"}: the events about one payment and its refunds, oldest first. */
  public static final String OF_PAYMENT = "cowrie.events.of_payment";
  /**
   * Local send, no body: "I just committed events, relay now". Any verticle may send it after a
   * commit so the relay need not wait for its next poll; it is only a hint, the poll still runs.
   */
  public static final String NUDGE = "cowrie.events.nudge";

  private EventAddresses() {}

  public static String stream(String merchantId, String mode) {
    return STREAM_PREFIX + merchantId + "." + mode;
  }
}
