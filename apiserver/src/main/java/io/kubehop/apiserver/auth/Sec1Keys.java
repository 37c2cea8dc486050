package io.kubehop.apiserver.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewraps an {@code EC PRIVATE KEY} (SEC1, what {@code openssl ecparam -genkey} writes) as the
 * PKCS#8 {@code PRIVATE KEY} holding it: Vert.x 5.0.7 reads PKCS#8 and RSA's PKCS#1, but fails on
 * SEC1 ("Invalid DER"), which upstream's {@code --tls-private-key-file} accepts.
 */
final class Sec1Keys {

  private static final Pattern SEC1 =
      Pattern.compile(
          "-----BEGIN EC PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END EC PRIVATE KEY-----");

  /** DER of OID 1.2.840.10045.2.1, id-ecPublicKey. */
  private static final byte[] EC_PUBLIC_KEY = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };

  private Sec1Keys() {
    throw new AssertionError("No instances.");
  }

  /** {@code pem} with a SEC1 key replaced by its PKCS#8 form; null if it holds no SEC1 key. */
  static String toPkcs8(String pem) {
    Matcher m = SEC1.matcher(pem);
    if (!m.find()) {
      return null;
    }
    byte[] sec1 = Base64.getMimeDecoder().decode(m.group(1).replaceAll("\\s", ""));
    byte[] curve = curveOid(sec1);
    byte[] algorithm = tlv(0x30, concat(EC_PUBLIC_KEY, curve));
    byte[] pkcs8 = tlv(0x30, concat(new byte[] {0x02, 0x01, 0x00}, algorithm, tlv(0x04, sec1)));
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8)
        + "\n-----END PRIVATE KEY-----\n";
  }

  /** The named curve's OID (whole TLV) from the SEC1 key's {@code [0] parameters}. */
  private static byte[] curveOid(byte[] der) {
    int[] outer = header(der, 0);
    if ((der[0] & 0xff) != 0x30) {
      throw new IllegalArgumentException("EC PRIVATE KEY: not a DER sequence");
    }
    int at = outer[0];
    int end = outer[0] + outer[1];
    while (at < end) {
      int[] h = header(der, at);
      if ((der[at] & 0xff) == 0xa0) {
        byte[] oid = new byte[h[1]];
        System.arraycopy(der, h[0], oid, 0, h[1]);
        if (oid.length == 0 || oid[0] != 0x06) {
          break;
        }
        return oid;
      }
      at = h[0] + h[1];
    }
    throw new IllegalArgumentException("EC PRIVATE KEY without a named curve");
  }

  /** {contentStart, contentLength} of the TLV at {@code at}. */
  private static int[] header(byte[] der, int at) {
    int len = der[at + 1] & 0xff;
    int start = at + 2;
    if (len >= 0x80) {
      int n = len & 0x7f;
      len = 0;
      for (int i = 0; i < n; i++) {
        len = (len << 8) | (der[start + i] & 0xff);
      }
      start += n;
    }
    if (start + len > der.length) {
      throw new IllegalArgumentException("EC PRIVATE KEY: truncated DER");
    }
    return new int[] {start, len};
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n & 0xff);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
