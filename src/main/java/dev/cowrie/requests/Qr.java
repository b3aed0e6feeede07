package dev.cowrie.requests;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.EncodeHintType;
import com.google.zxing.NotFoundException;
import com.google.zxing.ChecksumException;
import com.google.zxing.FormatException;
import com.google.zxing.WriterException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** QR codes (ZXing): PNG of a pay URL, and the text back out of a PNG. Blocking: call on a worker. */
final class Qr {
  static final int SIZE_PIXELS = 360;
  static final int PNG_BYTES_MAX = 1 << 20;
  static final int IMAGE_PIXELS_MAX = 4096;

  private Qr() {}

  static byte[] png(String text) {
    try {
      var matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, SIZE_PIXELS, SIZE_PIXELS,
          Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 2));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      MatrixToImageWriter.writeToStream(matrix, "PNG", out);
      return out.toByteArray();
    } catch (WriterException | IOException e) {
      throw new IllegalStateException("QR encoding failed", e);
    }
  }

  /** The text in the image, or a BadMessage saying why there is none. */
  static String read(byte[] png) throws BadMessage {
    if (png.length > PNG_BYTES_MAX) {
      throw new BadMessage("unreadable_qr", "The image is larger than 1 MiB.");
    }
    BufferedImage image = decode(png);
    try {
      BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image)));
      return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText();
    } catch (NotFoundException | ChecksumException | FormatException e) {
      throw new BadMessage("unreadable_qr", "No QR code could be read from the image.");
    }
  }

  /**
   * The image, its size checked from the header first: decoding allocates width x height pixels,
   * so a small file claiming a huge image must be refused before that (a decompression bomb).
   */
  private static BufferedImage decode(byte[] png) throws BadMessage {
    try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
      Iterator<ImageReader> readers = input == null ? null : ImageIO.getImageReaders(input);
      if (readers == null || !readers.hasNext()) {
        throw new BadMessage("unreadable_qr", "The image is not a PNG or JPEG we can read.");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(input, true, true);
        if (reader.getWidth(0) > IMAGE_PIXELS_MAX || reader.getHeight(0) > IMAGE_PIXELS_MAX) {
          throw new BadMessage("unreadable_qr", "The image is larger than " + IMAGE_PIXELS_MAX + " pixels a side.");
        }
        return reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      throw new BadMessage("unreadable_qr", "The image is not a PNG or JPEG we can read.");
    }
  }
}
