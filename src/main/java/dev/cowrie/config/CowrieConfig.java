package dev.cowrie.config;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * Configuration: {@code conf/cowrie.yaml} (or the copy bundled in the jar), then {@code COWRIE_*}
 * environment variables. An environment variable overrides the key it names; its value is read
 * as the type of the default, so a typo'd number fails at start, not at first use.
 */
public final class CowrieConfig {
  private final JsonObject root;
  // Read once, here: a missing or mistyped value fails at start, and code asks for a typed record.
  private final HttpConfig http;
  private final PgConfig pg;
  private final RedisConfig redis;
  private final KafkaConfig kafka;
  private final WebhookConfig webhook;
  private final AuthConfig auth;
  private final RateLimitConfig rateLimit;
  private final ClusterConfig cluster;
  private final BusConfig bus;
  private final ProviderConfig provider;
  private final SandboxConfig sandbox;
  private final CallbacksConfig callbacks;
  private final OutboxConfig outbox;
  private final ReconcileConfig reconcile;
  private final ChatConfig chat;
  private final LifecycleConfig lifecycle;
  private final QrConfig qr;
  private final PagesConfig pages;
  private final PlansConfig plans;
  private final CheckoutConfig checkout;
  private final RecurringConfig recurring;

  public CowrieConfig(JsonObject root) {
    this.root = root;
    this.http = HttpConfig.from(section("http"));
    this.pg = PgConfig.from(section("pg"));
    this.redis = RedisConfig.from(section("redis"));
    this.kafka = KafkaConfig.from(section("kafka"));
    this.webhook = WebhookConfig.from(section("webhook"));
    this.auth = AuthConfig.from(section("auth"));
    this.rateLimit = RateLimitConfig.from(section("rate_limit"));
    this.cluster = ClusterConfig.from(section("cluster"));
    this.bus = BusConfig.from(section("bus"));
    this.provider = ProviderConfig.from(section("provider"));
    this.sandbox = SandboxConfig.from(section("sandbox"));
    this.callbacks = CallbacksConfig.from(section("callbacks"));
    this.outbox = OutboxConfig.from(section("outbox"));
    this.reconcile = ReconcileConfig.from(section("reconcile"));
    this.chat = ChatConfig.from(section("chat"));
    this.lifecycle = LifecycleConfig.from(section("lifecycle"));
    this.qr = QrConfig.from(section("qr"));
    this.pages = PagesConfig.from(section("pages"));
    this.plans = PlansConfig.from(section("plans"));
    this.checkout = CheckoutConfig.from(section("checkout"));
    this.recurring = RecurringConfig.from(section("recurring"));
  }

  public HttpConfig http() {
    return http;
  }

  public PgConfig pg() {
    return pg;
  }

  public RedisConfig redis() {
    return redis;
  }

  public KafkaConfig kafka() {
    return kafka;
  }

  public WebhookConfig webhook() {
    return webhook;
  }

  public AuthConfig auth() {
    return auth;
  }

  public RateLimitConfig rateLimit() {
    return rateLimit;
  }

  public ClusterConfig cluster() {
    return cluster;
  }

  public BusConfig bus() {
    return bus;
  }

  public ProviderConfig provider() {
    return provider;
  }

  public SandboxConfig sandbox() {
    return sandbox;
  }

  public CallbacksConfig callbacks() {
    return callbacks;
  }

  public OutboxConfig outbox() {
    return outbox;
  }

  public ReconcileConfig reconcile() {
    return reconcile;
  }

  public ChatConfig chat() {
    return chat;
  }

  public LifecycleConfig lifecycle() {
    return lifecycle;
  }

  public QrConfig qr() {
    return qr;
  }

  public PagesConfig pages() {
    return pages;
  }

  public PlansConfig plans() {
    return plans;
  }

  public CheckoutConfig checkout() {
    return checkout;
  }

  public RecurringConfig recurring() {
    return recurring;
  }

  /** The operator's bearer token for /v1/admin (blank: the admin routes refuse everyone). */
  public String adminToken() {
    return string("admin", "token");
  }

  public long idempotencyTtlSeconds() {
    return number("idempotency", "ttl_seconds");
  }

  public static CowrieConfig load() {
    return load(System.getenv());
  }

  public static CowrieConfig load(Map<String, String> env) {
    JsonObject root = readYaml(env.getOrDefault("COWRIE_CONFIG", "conf/cowrie.yaml"));
    applyOverrides(root, env);
    return new CowrieConfig(root);
  }

  @SuppressWarnings("unchecked")
  private static JsonObject readYaml(String file) {
    Path path = Path.of(file);
    try (InputStream in = Files.exists(path) ? Files.newInputStream(path)
        : CowrieConfig.class.getResourceAsStream("/cowrie.yaml")) {
      if (in == null) {
        throw new IllegalStateException("No configuration: " + path.toAbsolutePath() + " is missing");
      }
      Map<String, Object> map = new Yaml().load(in);
      return new JsonObject(map);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read " + path.toAbsolutePath(), e);
    }
  }

  static void applyOverrides(JsonObject root, Map<String, String> env) {
    for (Map.Entry<String, String> variable : env.entrySet()) {
      String name = variable.getKey();
      if (!name.startsWith("COWRIE_") || name.equals("COWRIE_CONFIG")) {
        continue;
      }
      String rest = name.substring("COWRIE_".length()).toLowerCase(Locale.ROOT);
      // Section names may contain '_' (rate_limit), so take the longest section that exists.
      String section = null;
      for (String candidate : root.fieldNames()) {
        if (rest.startsWith(candidate + "_") && (section == null || candidate.length() > section.length())) {
          section = candidate;
        }
      }
      if (section == null) {
        continue;
      }
      String key = rest.substring(section.length() + 1);
      JsonObject values = root.getJsonObject(section);
      values.put(key, coerce(values.getValue(key), variable.getValue(), name));
    }
  }

  private static Object coerce(Object defaultValue, String text, String name) {
    try {
      if (defaultValue instanceof Integer) {
        return Integer.parseInt(text.trim());
      }
      if (defaultValue instanceof Long) {
        return Long.parseLong(text.trim());
      }
      if (defaultValue instanceof Double) {
        return Double.parseDouble(text.trim());
      }
      if (defaultValue instanceof Boolean) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
          throw new IllegalArgumentException("expected true or false");
        }
        return Boolean.parseBoolean(value);
      }
      return text;
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(name + "=" + text + " is not valid: " + e.getMessage());
    }
  }

  static String text(JsonObject section, String key) {
    Object value = section.getValue(key);
    return value == null ? "" : value.toString();
  }

  static int integer(JsonObject section, String key) {
    return required(section, key).intValue();
  }

  static long number(JsonObject section, String key) {
    return required(section, key).longValue();
  }

  static double decimal(JsonObject section, String key) {
    return required(section, key).doubleValue();
  }

  static boolean flag(JsonObject section, String key) {
    return Boolean.TRUE.equals(section.getBoolean(key));
  }

  private static Number required(JsonObject section, String key) {
    Object value = section.getValue(key);
    if (!(value instanceof Number number)) {
      throw new IllegalStateException("configuration key '" + key + "' must be a number, got " + value);
    }
    return number;
  }

  public JsonObject json() {
    return root;
  }

  public JsonObject section(String name) {
    JsonObject section = root.getJsonObject(name);
    return section == null ? new JsonObject() : section;
  }

  public String string(String section, String key) {
    Object value = section(section).getValue(key);
    return value == null ? "" : value.toString();
  }

  public int integer(String section, String key) {
    return section(section).getNumber(key).intValue();
  }

  public long number(String section, String key) {
    return section(section).getNumber(key).longValue();
  }

  public double decimal(String section, String key) {
    return section(section).getNumber(key).doubleValue();
  }

  public boolean flag(String section, String key) {
    return Boolean.TRUE.equals(section(section).getBoolean(key));
  }

  /** A copy with one value changed; tests use it to point at their own schema and port. */
  public CowrieConfig with(String section, String key, Object value) {
    JsonObject copy = root.copy();
    copy.getJsonObject(section).put(key, value);
    return new CowrieConfig(copy);
  }

  /** The 32-byte master key that encrypts provider secrets; required. */
  public byte[] masterKey() {
    String encoded = string("master", "key");
    if (encoded.isBlank()) {
      throw new IllegalStateException("COWRIE_MASTER_KEY is not set (base64 of 32 random bytes)");
    }
    byte[] key = Base64.getDecoder().decode(encoded.trim());
    if (key.length != 32) {
      throw new IllegalStateException("COWRIE_MASTER_KEY must be base64 of exactly 32 bytes, got " + key.length);
    }
    return key;
  }

  public String publicUrl() {
    String url = string("public", "url");
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
