package dev.cowrie.security;

/**
 * Bus addresses of one person, shared by the features that speak to them (wallets, chat, payment
 * requests), so none of those features needs another's address book.
 */
public final class PersonAddresses {
  /** What concerns one person (their /v1/me/stream sockets listen here): transfers, payment requests answered. */
  public static final String PERSON_PREFIX = "cowrie.people.";
  /** One wallet user's chat sockets on every node: messages of their rooms, presence, membership. */
  public static final String CHAT_USER_PREFIX = "cowrie.chat.user.";

  private PersonAddresses() {}

  public static String person(String userId) {
    return PERSON_PREFIX + userId;
  }

  public static String chatUser(String userId) {
    return CHAT_USER_PREFIX + userId;
  }
}
