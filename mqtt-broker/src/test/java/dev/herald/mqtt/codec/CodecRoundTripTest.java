package dev.herald.mqtt.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PacketType;
import dev.herald.mqtt.message.Publish;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random valid packets of every type in both versions: decode(encode(p)) is p, and encoding the
 * decoded packet gives the same bytes. A failure names the seed and the packet, so it can be replayed.
 */
class CodecRoundTripTest {

    private static final int PACKETS_PER_TYPE = 150;

    static Stream<Arguments> typesAndVersions() {
        List<Arguments> out = new ArrayList<>();
        for (MqttVersion version : MqttVersion.values()) {
            for (PacketType type : RandomPackets.types(version)) {
                out.add(Arguments.of(type, version, 31L * type.ordinal() + version.level()));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} in {1}, seed {2}")
    @MethodSource("typesAndVersions")
    @DisplayName("each packet type round-trips")
    void roundTrip(PacketType type, MqttVersion version, long seed) {
        RandomPackets packets = new RandomPackets(seed, version);
        MqttDecoder decoder = new MqttDecoder(version);
        for (int i = 0; i < PACKETS_PER_TYPE; i++) {
            assertRoundTrip(packets.next(type), version, decoder, seed, i);
        }
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("mixedSeeds")
    @DisplayName("a connection's worth of mixed packets round-trips through one reused decoder")
    void mixed(MqttVersion version, long seed) {
        RandomPackets packets = new RandomPackets(seed, version);
        MqttDecoder decoder = new MqttDecoder(version);
        for (int i = 0; i < 500; i++) {
            assertRoundTrip(packets.any(), version, decoder, seed, i);
        }
    }

    static Stream<Arguments> mixedSeeds() {
        return Stream.of(
                Arguments.of(MqttVersion.V5, 1L),
                Arguments.of(MqttVersion.V5, 2L),
                Arguments.of(MqttVersion.V3_1_1, 3L),
                Arguments.of(MqttVersion.V3_1_1, 4L));
    }

    @Test
    @DisplayName("the generator covers what each version can carry")
    void generatorCoversTheFeatures() {
        RandomPackets v5 = new RandomPackets(7, MqttVersion.V5);
        boolean properties = false;
        boolean supplementary = false;
        boolean emptyPayload = false;
        boolean largePayload = false;
        for (int i = 0; i < 400; i++) {
            Publish p = (Publish) v5.next(PacketType.PUBLISH);
            properties |= !p.properties().isEmpty();
            supplementary |= p.topic().codePoints().anyMatch(Character::isSupplementaryCodePoint);
            emptyPayload |= p.payload().isEmpty();
            largePayload |= p.payload().length() > 1024;
        }
        assertThat(List.of(properties, supplementary, emptyPayload, largePayload))
                .containsOnly(true);
    }

    private static void assertRoundTrip(MqttPacket packet, MqttVersion version, MqttDecoder decoder, long seed, int i) {
        ByteString bytes = MqttEncoder.encode(packet, version);
        DecodeResult decoded = decoder.decode(bytes);

        assertThat(decoded)
                .as("seed %d packet %d: %s encoded as %s", seed, i, packet, Bytes.toHex(bytes))
                .isEqualTo(packet);
        assertThat(MqttEncoder.encode((MqttPacket) decoded, version))
                .as("seed %d packet %d re-encoded", seed, i)
                .isEqualTo(bytes);
        assertThat(MqttEncoder.encodedSize(packet, version)).isEqualTo(bytes.length());
        assertThat(MqttDecoder.frameLength(bytes)).isEqualTo(bytes.length());
    }
}
