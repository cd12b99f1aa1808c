package dev.herald.mqtt.codec;

import static dev.herald.mqtt.codec.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.Publish;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Remaining Length, a Variable Byte Integer (MQTT 5.0 section 1.5.5, 3.1.1 section 2.2.3). */
class RemainingLengthTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "0, 00",
        "127, 7F",
        "128, 80 01",
        "16383, FF 7F",
        "16384, 80 80 01",
        "2097151, FF FF 7F",
        "2097152, 80 80 80 01",
        "268435455, FF FF FF 7F"
    })
    @DisplayName("MQTT 5.0 section 1.5.5 table 1-1 / 3.1.1 section 2.2.3 table 2.4: the bounds of each size")
    void frameLengthFromTheFixedHeaderAlone(int remaining, String encoded) {
        int headerLength = 1 + hex(encoded).length();

        assertThat(MqttDecoder.frameLength(hex("30 " + encoded))).isEqualTo(headerLength + remaining);
        assertThat(Bytes.toHex(Bytes.remainingLength(remaining))).isEqualTo(encoded);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({"127, 7F", "128, 80 01", "16383, FF 7F", "16384, 80 80 01", "2097151, FF FF 7F", "2097152, 80 80 80 01"
    })
    @DisplayName("section 2.2.3: a PUBLISH of each boundary size encodes its Remaining Length minimally")
    void encodedPublishOfEachBoundarySize(int remaining, String encoded) {
        // topic "a" takes 3 bytes; a 3.1.1 QoS 0 PUBLISH has nothing else besides the payload
        Publish publish = Publish.atMostOnce("a", ByteString.fromArrayUnsafe(new byte[remaining - 3]));

        ByteString bytes = MqttEncoder.encode(publish, MqttVersion.V3_1_1);

        assertThat(Bytes.toHex(bytes.take(1 + hex(encoded).length()))).isEqualTo("30 " + encoded);
        assertThat(bytes.length()).isEqualTo(1 + hex(encoded).length() + remaining);
        assertThat(new MqttDecoder(MqttVersion.V3_1_1).decode(bytes)).isEqualTo(publish);
    }

    @ParameterizedTest
    @CsvSource({"30", "30 80", "30 FF FF", "30 FF FF FF"})
    @DisplayName("the fixed header is incomplete until a byte without the continuation bit")
    void needsMore(String prefix) {
        assertThat(MqttDecoder.frameLength(hex(prefix))).isEqualTo(MqttDecoder.NEED_MORE);
    }

    @ParameterizedTest
    @CsvSource({"30 FF FF FF FF 01", "30 80 80 80 80 00", "30 80 00", "30 FF 80 00", "30 80 80 80 00"})
    @DisplayName("MQTT 5.0 section 1.5.5: more than 4 bytes, or not the minimal encoding, is malformed")
    void badLength(String header) {
        assertThat(MqttDecoder.frameLength(hex(header))).isEqualTo(MqttDecoder.BAD_LENGTH);
    }
}
