package example.picsellia;

import java.util.Arrays;
import java.util.Set;

/** An image's type and size, read from its header bytes (picsellia_contract/images.py). */
public final class Images {
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};
  // JPEG start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) do not.
  private static final Set<Integer> SOF =
      Set.of(0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf);

  private Images() {}

  /** "image/png" or "image/jpeg" from the magic bytes, else null. */
  public static String sniffContentType(byte[] data) {
    if (startsWith(data, PNG)) return "image/png";
    if (startsWith(data, JPEG)) return "image/jpeg";
    return null;
  }

  /** {width, height} from a PNG or JPEG header, or null when it cannot be read. */
  public static int[] size(byte[] data) {
    String type = sniffContentType(data);
    if ("image/png".equals(type)) { // signature (8), length (4), "IHDR" (4), width, height
      if (data.length < 24 || data[12] != 'I' || data[13] != 'H' || data[14] != 'D' || data[15] != 'R') {
        return null;
      }
      return positive(u32(data, 16), u32(data, 20));
    }
    int offset = 2;
    while ("image/jpeg".equals(type) && offset + 4 <= data.length) {
      if ((data[offset] & 0xff) != 0xff) return null;
      int marker = data[offset + 1] & 0xff;
      if (marker == 0xff) {
        offset += 1; // a fill byte
      } else if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        offset += 2; // a marker without a length
      } else if (SOF.contains(marker)) {
        if (offset + 9 > data.length) return null;
        return positive(u16(data, offset + 7), u16(data, offset + 5));
      } else {
        int length = u16(data, offset + 2);
        if (length < 2) return null;
        offset += 2 + length;
      }
    }
    return null;
  }

  private static boolean startsWith(byte[] data, byte[] prefix) {
    return data.length >= prefix.length
        && Arrays.equals(Arrays.copyOf(data, prefix.length), prefix);
  }

  private static int[] positive(long width, long height) {
    return width > 0 && height > 0 && width <= Integer.MAX_VALUE && height <= Integer.MAX_VALUE
        ? new int[] {(int) width, (int) height}
        : null;
  }

  private static int u16(byte[] d, int i) {
    return ((d[i] & 0xff) << 8) | (d[i + 1] & 0xff);
  }

  private static long u32(byte[] d, int i) {
    return ((long) u16(d, i) << 16) | u16(d, i + 2);
  }
}
