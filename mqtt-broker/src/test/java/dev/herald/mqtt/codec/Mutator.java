package dev.herald.mqtt.codec;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.apache.pekko.util.ByteString;

/**
 * Seeded mutations of encoded packets: bit flips, byte replacements, inserts, deletes, truncation,
 * duplicated ranges and extreme length fields. Most mutants get a Remaining Length that matches their
 * new body, so that the decoders, not only the framing check, see them.
 */
final class Mutator {

    private static final int[] INTERESTING = {
        0x00, 0x01, 0x02, 0x03, 0x7F, 0x80, 0xC0, 0xED, 0xF4, 0xFF, 0x2B, 0x23, 0x26
    };

    private final Random random;

    Mutator(Random random) {
        this.random = random;
    }

    ByteString mutate(ByteString packet) {
        int headerLength = 2;
        while (headerLength < packet.length() && (packet.apply(headerLength - 1) & 0x80) != 0) {
            headerLength++;
        }
        int first = packet.apply(0) & 0xFF;
        if (random.nextInt(8) == 0) {
            first ^= 1 << random.nextInt(8); // a flag bit, or another packet type
        }
        byte[] body = packet.drop(headerLength).toArray();
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            body = mutateOnce(body);
        }
        ByteString mutated = random.nextInt(10) < 7
                ? ByteString.fromArrayUnsafe(new byte[] {(byte) first})
                        .concat(Bytes.remainingLength(body.length))
                        .concat(ByteString.fromArrayUnsafe(body))
                : ByteString.fromArrayUnsafe(new byte[] {(byte) first})
                        .concat(packet.slice(1, headerLength))
                        .concat(ByteString.fromArrayUnsafe(body));
        return random.nextInt(20) == 0 ? mutated.take(random.nextInt(mutated.length() + 1)) : mutated;
    }

    /** Bytes that are not derived from any packet. */
    ByteString garbage() {
        byte[] out = new byte[random.nextInt(40)];
        random.nextBytes(out);
        return ByteString.fromArrayUnsafe(out);
    }

    private byte[] mutateOnce(byte[] b) {
        int n = b.length;
        int i = n == 0 ? 0 : random.nextInt(n);
        switch (random.nextInt(8)) {
            case 0 -> {
                if (n > 0) {
                    b[i] ^= (byte) (1 << random.nextInt(8));
                }
                return b;
            }
            case 1 -> {
                if (n > 0) {
                    b[i] = (byte)
                            (random.nextBoolean() ? INTERESTING[random.nextInt(INTERESTING.length)] : random.nextInt());
                }
                return b;
            }
            case 2 -> {
                byte[] insert = new byte[1 + random.nextInt(4)];
                random.nextBytes(insert);
                return splice(b, i, i, insert);
            }
            case 3 -> {
                return n == 0 ? b : splice(b, i, Math.min(n, i + 1 + random.nextInt(4)), new byte[0]);
            }
            case 4 -> {
                return Arrays.copyOf(b, i);
            }
            case 5 -> {
                int end = n == 0 ? 0 : Math.min(n, i + 1 + random.nextInt(8));
                return splice(b, end, end, Arrays.copyOfRange(b, i, end));
            }
            case 6 -> {
                if (n > 1) { // a two-byte length or packet id at its extremes
                    int v = random.nextBoolean() ? 0xFF : 0x00;
                    b[i] = (byte) v;
                    b[Math.min(n - 1, i + 1)] = (byte) (random.nextBoolean() ? v : 0x7F);
                }
                return b;
            }
            default -> {
                // a Variable Byte Integer (property length, identifier) at its extremes
                byte[] vbi = random.nextBoolean()
                        ? new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F}
                        : new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
                return splice(b, i, Math.min(n, i + random.nextInt(3)), vbi);
            }
        }
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + insert.length);
        out.write(b, 0, from);
        out.write(insert, 0, insert.length);
        out.write(b, to, b.length - to);
        return out.toByteArray();
    }
}
