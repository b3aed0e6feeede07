package dev.cowrie.webhooks;

import dev.cowrie.common.CowrieError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * SSRF guard for merchant webhook URLs: http(s) only, at most 2048 characters, and every address
 * the host resolves to must be public. Checked when an endpoint is saved and again before each
 * delivery (DNS may have changed); the delivery then connects to the checked address itself.
 */
final class UrlGuard {
  static final int URL_LENGTH_MAX = 2048;

  private static final int LOOKUP_THREADS = 4;

  private UrlGuard() {}

  /** The URL's syntax: a clear 400 naming what is wrong. */
  static URI parse(String url) {
    if (url.length() > URL_LENGTH_MAX) {
      throw CowrieError.invalid("url", "url must be at most " + URL_LENGTH_MAX + " characters.");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw CowrieError.invalid("url", "url is not a valid URL: " + e.getReason() + ".");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw CowrieError.invalid("url", "url must start with https:// or http://.");
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      throw CowrieError.invalid("url", "url must name a host.");
    }
    if (uri.getRawUserInfo() != null) {
      throw CowrieError.invalid("url", "url must not contain credentials (user:password@).");
    }
    if (uri.getRawFragment() != null) {
      throw CowrieError.invalid("url", "url must not contain a #fragment.");
    }
    return uri;
  }

  /**
   * The lookups' own bounded worker pool: a slow resolver then holds these threads, never the
   * ones bcrypt, Kafka or anything else needs.
   */
  static WorkerExecutor lookupPool(Vertx vertx) {
    return vertx.createSharedWorkerExecutor("cowrie-url-guard", LOOKUP_THREADS);
  }

  /** Resolves the host (on a lookup worker: DNS blocks) and answers the address to connect to. */
  static Future<InetAddress> resolve(WorkerExecutor lookups, URI uri, boolean allowPrivate) {
    String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
    return lookups.executeBlocking(() -> {
      InetAddress[] addresses;
      try {
        addresses = InetAddress.getAllByName(host);
      } catch (UnknownHostException e) {
        throw CowrieError.invalid("url", "url's host '" + host + "' does not resolve.");
      }
      for (InetAddress address : addresses) {
        if (!allowPrivate && !isPublic(address)) {
          throw CowrieError.invalid("url", "url's host '" + host + "' resolves to " + address.getHostAddress()
              + ", a private, loopback, link-local or otherwise non-public address; webhooks must reach a public address.");
        }
      }
      return addresses[0];
    }, false);
  }

  static boolean isPublic(InetAddress address) {
    if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
        || address.isSiteLocalAddress() || address.isMulticastAddress()) {
      return false;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first != 0                                   // "this network"
          && !(first == 100 && second >= 64 && second < 128) // carrier-grade NAT
          && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
          && !(first == 198 && (second == 18 || second == 19)) // benchmarking
          && first < 240;                                  // reserved and broadcast
    }
    if (address instanceof Inet6Address) {
      int first = b[0] & 0xff;
      boolean uniqueLocal = (first & 0xfe) == 0xfc;        // fc00::/7
      boolean mappedOrCompat = isZero(b, 0, 10) && ((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff || isZero(b, 10, 12));
      return !uniqueLocal && !mappedOrCompat;
    }
    return false;
  }

  private static boolean isZero(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
