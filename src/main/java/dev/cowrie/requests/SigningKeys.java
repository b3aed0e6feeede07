package dev.cowrie.requests;

import dev.cowrie.common.Secrets;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import io.vertx.core.buffer.Buffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The instance's Ed25519 keys: created on first start, private halves sealed with the master key
 * (AES-GCM), one active for signing, every older one kept for verification by kid.
 */
final class SigningKeys implements Envelope.Verifier {
  private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
  private static final int KEYS_MAX = 100;
  private static final int KID_ATTEMPTS_MAX = 5;

  record Key(String kid, byte[] kidBytes, PublicKey publicKey, byte[] rawPublic, PrivateKey privateKey, boolean active) {}

  private final Pool pool;
  private final byte[] masterKey;
  private volatile Map<String, Key> keys = Map.of();
  private volatile Key active;

  SigningKeys(Pool pool, byte[] masterKey) {
    this.pool = pool;
    this.masterKey = masterKey;
  }

  static String kid(byte[] two) {
    return "ck" + HexFormat.of().formatHex(two);
  }

  Key active() {
    return active;
  }

  /** Loads the keys, creating the first one if no node has yet. */
  Future<Void> start() {
    return load().compose(v -> active != null ? Future.succeededFuture() : insert(false, 0).compose(x -> load()));
  }

  /** A new key becomes the signing key; the old ones stay for verification. */
  Future<Key> rotate() {
    return insert(true, 0).compose(v -> load()).map(v -> active);
  }

  Future<Void> load() {
    return pool.preparedQuery("SELECT kid, public_key, sealed_key, active FROM signing_keys ORDER BY created_at LIMIT $1")
        .execute(Tuple.of(KEYS_MAX))
        .map(rows -> {
          Map<String, Key> loaded = new LinkedHashMap<>();
          Key signing = null;
          for (Row row : rows) {
            Key key = open(row);
            loaded.put(key.kid(), key);
            signing = key.active() ? key : signing;
          }
          keys = loaded;
          active = signing;
          return null;
        });
  }

  private Future<Void> insert(boolean retireActive, int attempt) {
    byte[] kidBytes = Secrets.randomBytes(2);
    String kid = kid(kidBytes);
    KeyPair pair = generate();
    byte[] raw = Arrays.copyOfRange(pair.getPublic().getEncoded(), X509_PREFIX.length, X509_PREFIX.length + 32);
    byte[] sealed = seal(kid, pair.getPrivate().getEncoded());
    Future<Void> written = pool.withTransaction(tx -> (retireActive
            ? tx.preparedQuery("UPDATE signing_keys SET active = false, retired_at = now() WHERE active").execute()
            : Future.succeededFuture())
        .compose(v -> tx.preparedQuery("""
                INSERT INTO signing_keys (kid, public_key, sealed_key, active)
                SELECT $1, $2, $3, true WHERE $4 OR NOT EXISTS (SELECT 1 FROM signing_keys WHERE active)""")
            .execute(Tuple.of(kid, Buffer.buffer(raw), Buffer.buffer(sealed), retireActive)))
        .mapEmpty());
    return written.recover(failure -> {
      boolean clash = failure instanceof PgException pg && "23505".equals(pg.getSqlState());
      // A kid clash retries with a new kid; another node creating the first key at once is fine.
      if (clash && retireActive && attempt < KID_ATTEMPTS_MAX) {
        return insert(true, attempt + 1);
      }
      return clash && !retireActive ? Future.succeededFuture() : Future.failedFuture(failure);
    });
  }

  /** Reloads when a kid is unknown: another node may have rotated since we loaded. */
  Future<Void> refreshIfUnknown(String kid) {
    return keys.containsKey(kid) ? Future.succeededFuture() : load();
  }

  byte[] sign(byte[] data) {
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(active.privateKey());
      signer.update(data);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean verify(String kid, byte[] data, byte[] signature) throws BadMessage {
    Key key = keys.get(kid);
    if (key == null) {
      throw new BadMessage("unknown_key", "The message was signed by a key this instance does not have (kid " + kid + ").");
    }
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(key.publicKey());
      verifier.update(data);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // e.g. a non-canonical signature: not ours
    }
  }

  /** The public keys as a JWKS (RFC 8037: kty OKP, crv Ed25519). */
  JsonObject jwks() {
    JsonArray list = new JsonArray();
    keys.values().forEach(key -> list.add(new JsonObject().put("kty", "OKP").put("crv", "Ed25519").put("use", "sig")
        .put("alg", "EdDSA").put("kid", key.kid()).put("x", Secrets.base64Url(key.rawPublic()))
        .put("status", key.active() ? "active" : "verify_only")));
    return new JsonObject().put("keys", list);
  }

  private static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private Key open(Row row) {
    String kid = row.getString("kid");
    byte[] raw = row.getBuffer("public_key").getBytes();
    try {
      KeyFactory factory = KeyFactory.getInstance("Ed25519");
      byte[] x509 = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + 32);
      System.arraycopy(raw, 0, x509, X509_PREFIX.length, 32);
      PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(x509));
      PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(unseal(kid, row.getBuffer("sealed_key").getBytes())));
      return new Key(kid, HexFormat.of().parseHex(kid.substring(2)), publicKey, raw, privateKey, row.getBoolean("active"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Signing key " + kid + " cannot be opened (wrong COWRIE_MASTER_KEY?)", e);
    }
  }

  private byte[] seal(String kid, byte[] plain) {
    try {
      byte[] iv = Secrets.randomBytes(12);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"), new GCMParameterSpec(128, iv));
      cipher.updateAAD(kid.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plain);
      byte[] out = Arrays.copyOf(iv, 12 + sealed.length);
      System.arraycopy(sealed, 0, out, 12, sealed.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] unseal(String kid, byte[] sealed) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(masterKey, "AES"), new GCMParameterSpec(128, sealed, 0, 12));
    cipher.updateAAD(kid.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return cipher.doFinal(sealed, 12, sealed.length - 12);
  }
}
