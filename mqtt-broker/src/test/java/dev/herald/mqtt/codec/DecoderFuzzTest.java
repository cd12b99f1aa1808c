package dev.herald.mqtt.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.mqtt.message.Connect;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing of the decoder: every mutant of a valid packet decodes, in both versions, to
 * a packet or a DecodeError, never an exception and never through the decoder's safety net; nothing
 * decoded is larger than the bytes it came from; and what decodes re-encodes to the same packet.
 */
class DecoderFuzzTest {

    private static final int MUTANTS = 200_000;
    private static final Duration TIME_LIMIT = Duration.ofSeconds(60);
    private static final Set<Integer> ERROR_CODES = Set.of(0x81, 0x82, 0x84, 0x94);

    private final MqttDecoder v5 = new MqttDecoder(MqttVersion.V5);
    private final MqttDecoder v311 = new MqttDecoder(MqttVersion.V3_1_1);
    private final List<String> failures = new ArrayList<>();

    @Test
    @DisplayName("200,000 mutants of valid packets of every type and both versions")
    void mutants() {
        List<ByteString> corpus = corpus();
        Random random = new Random(20_240_501L);
        Mutator mutator = new Mutator(random);
        long deadline = System.nanoTime() + TIME_LIMIT.toNanos();
        int done = 0;
        int decoded = 0;
        while (done < MUTANTS && failures.size() < 10 && System.nanoTime() < deadline) {
            ByteString mutant = mutator.mutate(corpus.get(random.nextInt(corpus.size())));
            decoded += check(mutant, v5) + check(mutant, v311);
            done++;
        }

        assertThat(failures).isEmpty();
        assertThat(done >= MUTANTS || System.nanoTime() >= deadline)
                .as("%d mutants in the time limit", done)
                .isTrue();
        assertThat(decoded).as("mutants that still decode").isGreaterThan(done / 20);
    }

    @Test
    @DisplayName("random bytes, not derived from a packet")
    void garbage() {
        Mutator mutator = new Mutator(new Random(7));
        for (int i = 0; i < 20_000 && failures.size() < 10; i++) {
            ByteString bytes = mutator.garbage();
            check(bytes, v5);
            check(bytes, v311);
            MqttDecoder.frameLength(bytes);
        }
        assertThat(failures).isEmpty();
    }

    /** Valid packets of every type in both versions, small enough that mutations reach their structure. */
    private static List<ByteString> corpus() {
        List<ByteString> out = new ArrayList<>();
        for (MqttVersion version : MqttVersion.values()) {
            RandomPackets packets = new RandomPackets(version.level(), version);
            for (int added = 0; added < 1000; ) {
                ByteString bytes = MqttEncoder.encode(packets.any(), version);
                if (bytes.length() <= 300) {
                    out.add(bytes);
                    added++;
                }
            }
        }
        return out;
    }

    /** Decodes one mutant, records any failure, and returns 1 when it decoded to a packet. */
    private int check(ByteString bytes, MqttDecoder decoder) {
        DecodeResult result = decoder.decode(bytes);
        if (result instanceof DecodeError error) {
            if (error.reason().startsWith("undecodable packet:")
                    || !ERROR_CODES.contains(error.reasonCode().code())) {
                fail(bytes, decoder, error.toString());
            }
            return 0;
        }
        if (!(result instanceof MqttPacket packet)) {
            fail(bytes, decoder, "neither a packet nor an error: " + result);
            return 0;
        }
        int largest = DecodedSizes.largestField(packet);
        if (largest > bytes.length()) {
            fail(bytes, decoder, "a field of " + largest + " from a packet of " + bytes.length());
        }
        MqttVersion version = packet instanceof Connect c ? c.version() : decoder.version();
        DecodeResult again = new MqttDecoder(version).decode(MqttEncoder.encode(packet, version));
        if (!packet.equals(again)) {
            fail(bytes, decoder, packet + " re-encoded decodes to " + again);
        }
        return 1;
    }

    private void fail(ByteString bytes, MqttDecoder decoder, String what) {
        failures.add(decoder.version() + " " + Bytes.toHex(bytes) + ": " + what);
    }
}
