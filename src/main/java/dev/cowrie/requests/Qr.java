package dev.cowrie.requests;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.NotFoundException;
import com.google.zxing.ChecksumException;
import com.google.zxing.FormatException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

/** QR codes (ZXing): PNG of a pay URL, and the text back out of a PNG, with its decoding cost bounded. */
final class Qr {
  static final int PNG_BYTES_MAX = 1 << 20;
  static final int IMAGE_PIXELS_MAX = 4096;
  static final int SAMPLE_BITS_MAX = 8;

  private Qr() {}

  static byte[] png(String text) {
    return dev.cowrie.common.QrCodes.png(text);
  }

  /** The text in the image, or a BadMessage saying why there is none. Blocking and costly: run it on the QR workers. */
  static String read(byte[] png, long pixelsMax) throws BadMessage {
    BufferedImage image = decode(png, pixelsMax);
    BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image)));
    try {
      return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText();
    } catch (NotFoundException | ChecksumException | FormatException e) {
      // The finder search is sometimes fooled by the data's own patterns: about 2 % of our own
      // generated codes (random text of our requests' length, 1 Dec 2026). A code forwarded as the
      // image we made, nothing around it, is then read exactly as a pure barcode; a photo still fails.
      try {
        return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
      } catch (NotFoundException | ChecksumException | FormatException again) {
        throw new BadMessage("unreadable_qr", "No QR code could be read from the image.");
      }
    }
  }

  /**
   * Refuses, from the header alone, an image whose decoding would cost too much: decoding allocates
   * width x height pixels at the image's sample depth, so a small file claiming a large or 16-bit
   * image (a decompression bomb) is a 400 before any pixel is decoded. Cheap: fine on an event loop.
   */
  static void refuseCostly(byte[] png, long pixelsMax) throws BadMessage {
    withReader(png, reader -> {
      checkCost(reader, pixelsMax);
      return null;
    });
  }

  private static BufferedImage decode(byte[] png, long pixelsMax) throws BadMessage {
    return withReader(png, reader -> {
      checkCost(reader, pixelsMax);
      return reader.read(0);
    });
  }

  private static void checkCost(ImageReader reader, long pixelsMax) throws IOException {
    int width = reader.getWidth(0);
    int height = reader.getHeight(0);
    if (width > IMAGE_PIXELS_MAX || height > IMAGE_PIXELS_MAX || (long) width * height > pixelsMax) {
      throw tooCostly("qr_png is " + width + " x " + height + " pixels; at most " + IMAGE_PIXELS_MAX
          + " pixels a side and " + pixelsMax + " pixels in all are decoded (a QR code needs far fewer).");
    }
    ImageTypeSpecifier type = reader.getRawImageType(0);
    int bits = type == null ? 0 : Arrays.stream(type.getSampleModel().getSampleSize()).max().orElse(0);
    if (bits > SAMPLE_BITS_MAX) {
      throw tooCostly("qr_png has " + bits + " bits per sample; at most " + SAMPLE_BITS_MAX + " are decoded.");
    }
  }

  private static CowrieError tooCostly(String message) {
    return new CowrieError(ErrorCode.PARAMETER_INVALID, message, "qr_png");
  }

  private interface ReaderStep<T> {
    T apply(ImageReader reader) throws IOException;
  }

  private static <T> T withReader(byte[] png, ReaderStep<T> step) throws BadMessage {
    if (png.length > PNG_BYTES_MAX) {
      throw new BadMessage("unreadable_qr", "The image is larger than 1 MiB.");
    }
    try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
      Iterator<ImageReader> readers = input == null ? null : ImageIO.getImageReaders(input);
      if (readers == null || !readers.hasNext()) {
        throw new BadMessage("unreadable_qr", "The image is not a PNG or JPEG we can read.");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(input, true, true);
        return step.apply(reader);
      } finally {
        reader.dispose();
      }
    } catch (CowrieError tooCostly) {
      throw tooCostly;
    } catch (IOException | RuntimeException e) {
      throw new BadMessage("unreadable_qr", "The image is not a PNG or JPEG we can read.");
    }
  }
}
