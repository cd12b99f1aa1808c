package dev.herald.mqtt.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import org.apache.pekko.util.ByteString;

/** Assertions shared by the per-packet codec tests. */
final class Codec {

    private Codec() {}

    static DecodeResult decode(ByteString bytes, MqttVersion version) {
        return new MqttDecoder(version).decode(bytes);
    }

    static String encodeHex(MqttPacket packet, MqttVersion version) {
        return Bytes.toHex(MqttEncoder.encode(packet, version));
    }

    /** decode(hex) is the packet and encode(packet) is exactly hex. */
    static void assertCodec(String hex, MqttPacket packet, MqttVersion version) {
        assertDecodes(hex, packet, version);
        assertThat(encodeHex(packet, version)).isEqualTo(Bytes.toHex(Bytes.hex(hex)));
    }

    /** decode(hex) is the packet; for wire forms the encoder does not choose (a longer equivalent). */
    static void assertDecodes(String hex, MqttPacket packet, MqttVersion version) {
        assertThat(decode(Bytes.hex(hex), version)).isEqualTo(packet);
    }

    /** decode(hex) fails with the reason code, never through the decoder's safety net. */
    static DecodeError assertError(ByteString bytes, MqttVersion version, int reasonCode) {
        DecodeResult result = decode(bytes, version);
        assertThat(result).isInstanceOf(DecodeError.class);
        DecodeError error = (DecodeError) result;
        assertThat(error.reasonCode().code()).as("reason code of %s", error).isEqualTo(reasonCode);
        assertThat(error.reason()).doesNotStartWith("undecodable packet:");
        return error;
    }
}
