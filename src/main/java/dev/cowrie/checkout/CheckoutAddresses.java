package dev.cowrie.checkout;

/** Event-bus addresses of the checkout area (PaymentLinksVerticle). */
public final class CheckoutAddresses {
  public static final String CREATE_LINK = "cowrie.checkout.create_link";
  public static final String LIST_LINKS = "cowrie.checkout.list_links";
  public static final String GET_LINK = "cowrie.checkout.get_link";
  /** Changes a link's active flag or description: {@code {id, active?, description?}}. */
  public static final String UPDATE_LINK = "cowrie.checkout.update_link";
  /** A link by its public slug (the page at /l/{slug}), with its merchant and mode; no principal. */
  public static final String LINK_BY_SLUG = "cowrie.checkout.link_by_slug";

  private CheckoutAddresses() {}
}
