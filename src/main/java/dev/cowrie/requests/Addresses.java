package dev.cowrie.requests;

import dev.cowrie.common.Secrets;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Locale;

/**
 * Bitcoin addresses as the raw bytes they stand for: a base58check address is 21 bytes (version
 * and hash) instead of 34 characters, a bech32 one is its witness program instead of 42 or 62
 * characters. Checksums are dropped when packing and recomputed when unpacking, so a message
 * can only ever carry an address whose checksum is right.
 */
final class Addresses {
  private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final String BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  private static final int BECH32_CONST = 1;
  private static final int BECH32M_CONST = 0x2bc830a3;

  private Addresses() {}

  /** A segwit address: human-readable part, witness version, witness program. */
  record Segwit(String hrp, int version, byte[] program) {}

  /** Version byte and 20-byte hash of a base58check address, or null if it is not one. */
  static byte[] fromBase58Check(String address) {
    if (address.length() < 26 || address.length() > 35) {
      return null;
    }
    BigInteger value = BigInteger.ZERO;
    for (char c : address.toCharArray()) {
      int digit = BASE58.indexOf(c);
      if (digit < 0) {
        return null;
      }
      value = value.multiply(BigInteger.valueOf(58)).add(BigInteger.valueOf(digit));
    }
    byte[] big = value.toByteArray();
    int leadingOnes = 0;
    while (leadingOnes < address.length() && address.charAt(leadingOnes) == '1') {
      leadingOnes++;
    }
    byte[] stripped = big.length > 0 && big[0] == 0 ? Arrays.copyOfRange(big, 1, big.length) : big;
    byte[] full = new byte[leadingOnes + stripped.length];
    System.arraycopy(stripped, 0, full, leadingOnes, stripped.length);
    if (full.length != 25) {
      return null;
    }
    byte[] payload = Arrays.copyOf(full, 21);
    byte[] check = Arrays.copyOfRange(Secrets.sha256(Secrets.sha256(payload)), 0, 4);
    return Arrays.equals(check, Arrays.copyOfRange(full, 21, 25)) ? payload : null;
  }

  static String toBase58Check(byte[] payload) {
    byte[] full = Arrays.copyOf(payload, payload.length + 4);
    System.arraycopy(Secrets.sha256(Secrets.sha256(payload)), 0, full, payload.length, 4);
    StringBuilder out = new StringBuilder();
    BigInteger value = new BigInteger(1, full);
    BigInteger base = BigInteger.valueOf(58);
    while (value.signum() > 0) {
      BigInteger[] division = value.divideAndRemainder(base);
      out.append(BASE58.charAt(division[1].intValue()));
      value = division[0];
    }
    for (int i = 0; i < full.length && full[i] == 0; i++) {
      out.append('1');
    }
    return out.reverse().toString();
  }

  /** The segwit address, or null if the text is not a valid bech32/bech32m address for bc or tb. */
  static Segwit fromSegwit(String address) {
    String lower = address.toLowerCase(Locale.ROOT);
    if (!lower.equals(address) && !address.toUpperCase(Locale.ROOT).equals(address)) {
      return null; // mixed case is invalid bech32
    }
    int separator = lower.lastIndexOf('1');
    String hrp = separator < 0 ? "" : lower.substring(0, separator);
    if (!hrp.equals("bc") && !hrp.equals("tb") || lower.length() - separator - 1 < 7 || lower.length() > 90) {
      return null;
    }
    int[] data = new int[lower.length() - separator - 1];
    for (int i = 0; i < data.length; i++) {
      data[i] = BECH32.indexOf(lower.charAt(separator + 1 + i));
      if (data[i] < 0) {
        return null;
      }
    }
    int version = data[0];
    int constant = version == 0 ? BECH32_CONST : BECH32M_CONST;
    if (polymod(hrp, data) != constant || version > 16) {
      return null;
    }
    byte[] program = regroup(Arrays.copyOfRange(data, 1, data.length - 6));
    if (program == null || program.length < 2 || program.length > 40 || version == 0 && program.length != 20 && program.length != 32) {
      return null;
    }
    return new Segwit(hrp, version, program);
  }

  static String toSegwit(Segwit segwit) {
    int groups = (segwit.program().length * 8 + 4) / 5;
    int[] data = new int[1 + groups + 6];
    data[0] = segwit.version();
    int accumulator = 0;
    int bits = 0;
    int at = 1;
    for (byte b : segwit.program()) {
      accumulator = (accumulator << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        bits -= 5;
        data[at++] = (accumulator >>> bits) & 31;
      }
    }
    if (bits > 0) {
      data[at++] = (accumulator << (5 - bits)) & 31;
    }
    int constant = segwit.version() == 0 ? BECH32_CONST : BECH32M_CONST;
    int checksum = polymod(segwit.hrp(), data) ^ constant; // the last 6 groups are still zero here
    for (int i = 0; i < 6; i++) {
      data[at + i] = (checksum >>> (5 * (5 - i))) & 31;
    }
    StringBuilder out = new StringBuilder(segwit.hrp()).append('1');
    for (int value : data) {
      out.append(BECH32.charAt(value));
    }
    return out.toString();
  }

  /** 5-bit groups to bytes; null if the padding is not zero bits. */
  private static byte[] regroup(int[] groups) {
    byte[] out = new byte[groups.length * 5 / 8];
    int accumulator = 0;
    int bits = 0;
    int at = 0;
    for (int group : groups) {
      accumulator = (accumulator << 5) | group;
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        out[at++] = (byte) (accumulator >>> bits);
      }
    }
    return bits >= 5 || (accumulator & ((1 << bits) - 1)) != 0 ? null : out;
  }

  private static int polymod(String hrp, int[] data) {
    int[] generator = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
    int checksum = 1;
    int[] expanded = new int[hrp.length() * 2 + 1 + data.length];
    for (int i = 0; i < hrp.length(); i++) {
      expanded[i] = hrp.charAt(i) >> 5;
      expanded[hrp.length() + 1 + i] = hrp.charAt(i) & 31;
    }
    System.arraycopy(data, 0, expanded, hrp.length() * 2 + 1, data.length);
    for (int value : expanded) {
      int top = checksum >>> 25;
      checksum = ((checksum & 0x1ffffff) << 5) ^ value;
      for (int i = 0; i < 5; i++) {
        if (((top >>> i) & 1) != 0) {
          checksum ^= generator[i];
        }
      }
    }
    return checksum;
  }
}
