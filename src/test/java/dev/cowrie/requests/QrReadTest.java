package dev.cowrie.requests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every QR code Cowrie draws reads back as its text, whatever the text's random bits happen to draw. */
class QrReadTest {
  private static final String URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  @Test
  void ourOwnCodesAlwaysReadBack() throws Exception {
    // Seeded: before the pure-barcode retry, 4 of these 200 came back unreadable.
    Random random = new Random(7);
    int unread = 0;
    String first = null;
    for (int i = 0; i < 200; i++) {
      StringBuilder text = new StringBuilder("http://127.0.0.1:8080/r/");
      int length = 200 + random.nextInt(250);
      for (int j = 0; j < length; j++) {
        text.append(URL_SAFE.charAt(random.nextInt(URL_SAFE.length())));
      }
      try {
        assertEquals(text.toString(), Qr.read(Qr.png(text.toString()), 4096L * 4096));
      } catch (BadMessage unreadable) {
        unread++;
        first = first == null ? text.toString() : first;
      }
    }
    assertEquals(0, unread, "unreadable, the first: " + first);
  }
}
