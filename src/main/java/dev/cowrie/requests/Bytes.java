package dev.cowrie.requests;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The primitives of the compact message layout: bytes, LEB128 varints, 3-letter codes, short UTF-8 strings. */
final class Bytes {
  private Bytes() {}

  static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

    Writer u8(int value) {
      out.write(value & 0xff);
      return this;
    }

    Writer raw(byte[] bytes) {
      out.writeBytes(bytes);
      return this;
    }

    /** Unsigned LEB128: 7 bits a byte, low bits first; 2500 takes 2 bytes, 150000 takes 3. */
    Writer varint(long value) {
      if (value < 0) {
        throw new IllegalArgumentException("varint of a negative number");
      }
      while ((value & ~0x7FL) != 0) {
        out.write((int) ((value & 0x7F) | 0x80));
        value >>>= 7;
      }
      out.write((int) value);
      return this;
    }

    /** ISO 4217 code in 2 bytes: three letters in base 26. */
    Writer code3(String code) {
      int packed = ((code.charAt(0) - 'A') * 26 + (code.charAt(1) - 'A')) * 26 + (code.charAt(2) - 'A');
      return u8(packed >>> 8).u8(packed);
    }

    Writer string(String text) {
      byte[] utf8 = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
      return varint(utf8.length).raw(utf8);
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }

  /** Reads what {@link Writer} wrote; every overrun or out-of-range value is a {@link BadMessage}, never an exception. */
  static final class Reader {
    private final byte[] data;
    private int position;

    Reader(byte[] data) {
      this.data = data;
    }

    boolean done() {
      return position >= data.length;
    }

    int u8() throws BadMessage {
      if (position >= data.length) {
        throw new BadMessage("truncated", "The message ends too early.");
      }
      return data[position++] & 0xff;
    }

    byte[] raw(int count) throws BadMessage {
      if (count < 0 || position + count > data.length) {
        throw new BadMessage("truncated", "The message ends too early.");
      }
      byte[] bytes = Arrays.copyOfRange(data, position, position + count);
      position += count;
      return bytes;
    }

    long varint() throws BadMessage {
      long value = 0;
      for (int shift = 0; shift < 63; shift += 7) {
        int next = u8();
        value |= (long) (next & 0x7F) << shift;
        if ((next & 0x80) == 0) {
          return value;
        }
      }
      throw new BadMessage("malformed", "A number in the message is too long.");
    }

    String code3() throws BadMessage {
      int packed = (u8() << 8) | u8();
      if (packed >= 26 * 26 * 26) {
        throw new BadMessage("malformed", "The currency code is not three letters.");
      }
      return "" + (char) ('A' + packed / 676) + (char) ('A' + packed / 26 % 26) + (char) ('A' + packed % 26);
    }

    String string(int maxBytes) throws BadMessage {
      long length = varint();
      if (length > maxBytes) {
        throw new BadMessage("malformed", "A text in the message is longer than " + maxBytes + " bytes.");
      }
      return new String(raw((int) length), StandardCharsets.UTF_8);
    }
  }
}
