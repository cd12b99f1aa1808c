package dev.herald.mqtt.codec.internal;

import org.apache.pekko.util.ByteString;

/**
 * UTF-8 for MQTT strings (MQTT 5.0 section 1.5.4): well-formed per RFC 3629, no encoded surrogates,
 * no U+0000. Decoding validates and converts in one pass into a reusable char buffer.
 */
public final class Utf8 {

    private Utf8() {}

    /**
     * Decodes {@code length} bytes read by {@code source} into {@code out} (or only validates
     * when it is null), returning the number of
     * chars, or -1 when the bytes are not a valid MQTT UTF-8 string.
     */
    static int decode(ByteString source, int from, int length, char[] out) {
        return decode(source, from, length, out, false);
    }

    private static int decode(ByteString source, int from, int length, char[] out, boolean nullAllowed) {
        int n = 0;
        int i = from;
        int end = from + length;
        while (i < end) {
            int b0 = source.apply(i++) & 0xFF;
            if (b0 < 0x80) {
                if (b0 == 0 && !nullAllowed) {
                    return -1;
                }
                if (out != null) {
                    out[n] = (char) b0;
                }
                n++;
                continue;
            }
            int extra;
            int cp;
            int min;
            if ((b0 & 0xE0) == 0xC0) {
                extra = 1;
                cp = b0 & 0x1F;
                min = 0x80;
            } else if ((b0 & 0xF0) == 0xE0) {
                extra = 2;
                cp = b0 & 0x0F;
                min = 0x800;
            } else if ((b0 & 0xF8) == 0xF0) {
                extra = 3;
                cp = b0 & 0x07;
                min = 0x10000;
            } else {
                return -1;
            }
            if (i + extra > end) {
                return -1;
            }
            for (int k = 0; k < extra; k++) {
                int b = source.apply(i++) & 0xFF;
                if ((b & 0xC0) != 0x80) {
                    return -1;
                }
                cp = (cp << 6) | (b & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return -1;
            }
            if (out == null) {
                n += cp >= 0x10000 ? 2 : 1;
            } else if (cp >= 0x10000) {
                out[n++] = Character.highSurrogate(cp);
                out[n++] = Character.lowSurrogate(cp);
            } else {
                out[n++] = (char) cp;
            }
        }
        return n;
    }

    /** The encoded size of a string; a lone surrogate counts as U+FFFD, as {@link #encode} writes it. */
    public static int encodedLength(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2; // 4 bytes for 2 chars
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    /** Writes the string at {@code pos} and returns the position after it. */
    static int encode(String s, byte[] out, int pos) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            int c = s.charAt(i);
            if (c < 0x80) {
                out[pos++] = (byte) c;
            } else if (c < 0x800) {
                out[pos++] = (byte) (0xC0 | (c >> 6));
                out[pos++] = (byte) (0x80 | (c & 0x3F));
            } else {
                if (Character.isSurrogate((char) c)) {
                    if (Character.isHighSurrogate((char) c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        int cp = Character.toCodePoint((char) c, s.charAt(++i));
                        out[pos++] = (byte) (0xF0 | (cp >> 18));
                        out[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                        out[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                        out[pos++] = (byte) (0x80 | (cp & 0x3F));
                        continue;
                    }
                    c = 0xFFFD;
                }
                out[pos++] = (byte) (0xE0 | (c >> 12));
                out[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[pos++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return pos;
    }

    /**
     * Whether the bytes are well-formed UTF-8 (RFC 3629), as Payload Format Indicator 1 promises of a
     * payload (MQTT 5.0 section 3.3.2.3.2). U+0000 is allowed here: only UTF-8 Encoded Strings inside
     * packets forbid it (MQTT-1.5.4-2), not payload data.
     */
    public static boolean isWellFormed(ByteString bytes) {
        return decode(bytes, 0, bytes.length(), null, true) >= 0;
    }
}
