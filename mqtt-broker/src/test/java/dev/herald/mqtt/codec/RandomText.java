package dev.herald.mqtt.codec;

import java.util.Random;
import org.apache.pekko.util.ByteString;

/**
 * Random valid MQTT strings and binary data: every plane of Unicode (supplementary characters as
 * surrogate pairs), never U+0000 or a lone surrogate, which MQTT strings cannot hold (section 1.5.4).
 */
final class RandomText {

    private final Random random;

    RandomText(Random random) {
        this.random = random;
    }

    /** Up to {@code maxCodePoints} code points from every plane. */
    String text(int maxCodePoints) {
        return text(maxCodePoints, false);
    }

    /** A Topic Name (section 4.7): non-empty levels of text without wildcards, empty levels allowed. */
    String topicName() {
        StringBuilder sb = new StringBuilder();
        int levels = 1 + random.nextInt(4);
        for (int i = 0; i < levels; i++) {
            sb.append(i == 0 ? "" : "/").append(text(6, true));
        }
        return sb.length() == 0 ? "t" : sb.toString();
    }

    /** A valid Topic Filter (section 4.7.1): '+' fills a level, '#' is the last level on its own. */
    String topicFilter() {
        StringBuilder sb = new StringBuilder();
        int levels = 1 + random.nextInt(4);
        for (int i = 0; i < levels; i++) {
            sb.append(i == 0 ? "" : "/").append(random.nextInt(4) == 0 ? "+" : text(5, true));
        }
        if (random.nextInt(4) == 0) {
            sb.append("/#");
        }
        return sb.length() == 0 ? "#" : sb.toString();
    }

    ByteString bytes(int maxLength) {
        byte[] out = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(out);
        return ByteString.fromArrayUnsafe(out);
    }

    private String text(int maxCodePoints, boolean topicLevel) {
        int n = random.nextInt(maxCodePoints + 1);
        StringBuilder sb = new StringBuilder(n * 2);
        for (int i = 0; i < n; i++) {
            int cp = codePoint();
            if (topicLevel && (cp == '/' || cp == '+' || cp == '#')) {
                cp = 'x';
            }
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    private int codePoint() {
        int kind = random.nextInt(20);
        if (kind < 10) {
            return 0x20 + random.nextInt(0x7F - 0x20); // printable ASCII, '+' '#' '/' included
        } else if (kind < 11) {
            return 1 + random.nextInt(0x1F); // C0 controls: SHOULD NOT, but valid (section 1.5.4)
        } else if (kind < 14) {
            return 0x80 + random.nextInt(0x800 - 0x80); // two-byte UTF-8
        } else if (kind < 17) {
            int cp = 0x800 + random.nextInt(0x10000 - 0x800 - 0x800); // three-byte, skipping surrogates
            return cp >= 0xD800 ? cp + 0x800 : cp;
        } else {
            return 0x10000 + random.nextInt(0x110000 - 0x10000); // supplementary: four-byte UTF-8
        }
    }
}
