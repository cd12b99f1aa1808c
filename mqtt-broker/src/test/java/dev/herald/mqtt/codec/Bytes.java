package dev.herald.mqtt.codec;

import java.nio.charset.StandardCharsets;
import org.apache.pekko.util.ByteString;

/** Byte fixtures for codec tests: hex such as {@code "10 0c 00 04"} to a ByteString and back. */
public final class Bytes {

    private Bytes() {}

    /** Parses hex digit pairs; spaces and line breaks between pairs are ignored. */
    public static ByteString hex(String hex) {
        String digits = hex.replaceAll("\\s+", "");
        if (digits.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits: " + hex);
        }
        byte[] out = new byte[digits.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return ByteString.fromArrayUnsafe(out);
    }

    /** Upper-case hex pairs separated by spaces, as the fixtures are written. */
    public static String toHex(ByteString bytes) {
        StringBuilder sb = new StringBuilder(bytes.length() * 3);
        for (int i = 0; i < bytes.length(); i++) {
            sb.append(i == 0 ? "" : " ").append(String.format("%02X", bytes.apply(i) & 0xFF));
        }
        return sb.toString();
    }

    public static ByteString utf8(String s) {
        return ByteString.fromString(s, StandardCharsets.UTF_8);
    }

    /**
     * A packet with the given first byte and body (hex), the Remaining Length computed: for corpora
     * where the length itself is not under test.
     */
    public static ByteString packet(int firstByte, String bodyHex) {
        ByteString body = hex(bodyHex);
        return ByteString.fromArrayUnsafe(new byte[] {(byte) firstByte})
                .concat(remainingLength(body.length()))
                .concat(body);
    }

    /** The Variable Byte Integer encoding of a length (MQTT 5.0 section 1.5.5). */
    public static ByteString remainingLength(int length) {
        byte[] out = new byte[4];
        int n = 0;
        do {
            int b = length & 0x7F;
            length >>>= 7;
            out[n++] = (byte) (length > 0 ? b | 0x80 : b);
        } while (length > 0);
        return ByteString.fromArray(out, 0, n);
    }
}
