package dev.cowrie.common;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

/** QR codes of URLs (ZXing) as PNG, for printing and messengers, and as SVG, for pages (crisp at any size). */
public final class QrCodes {
  public static final int PNG_SIZE_PIXELS = 360;
  private static final int MARGIN_MODULES = 2;

  private QrCodes() {}

  public static byte[] png(String text) {
    BitMatrix matrix = encode(text, PNG_SIZE_PIXELS);
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      MatrixToImageWriter.writeToStream(matrix, "PNG", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("QR encoding failed", e);
    }
  }

  /** One module per SVG unit, dark modules as one path (no style attributes: pages forbid inline styles). */
  public static String svg(String text) {
    BitMatrix matrix = encode(text, 0);
    int size = matrix.getWidth();
    StringBuilder path = new StringBuilder();
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        if (matrix.get(x, y)) {
          path.append('M').append(x).append(' ').append(y).append("h1v1h-1z");
        }
      }
    }
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + " " + size + "\" shape-rendering=\"crispEdges\">"
        + "<rect width=\"" + size + "\" height=\"" + size + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
  }

  private static BitMatrix encode(String text, int sizePixels) {
    try {
      return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, sizePixels, sizePixels,
          Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, MARGIN_MODULES));
    } catch (WriterException e) {
      throw new IllegalStateException("QR encoding failed", e);
    }
  }
}
