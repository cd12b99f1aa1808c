package dev.herald.mqtt.codec;

import static dev.herald.mqtt.codec.Codec.assertCodec;

import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PingReq;
import dev.herald.mqtt.message.PingResp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PingCodecTest {

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    @DisplayName("section 3.12: PINGREQ is C0 00 in both versions")
    void pingReq(MqttVersion version) {
        assertCodec("C0 00", PingReq.INSTANCE, version);
    }

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    @DisplayName("section 3.13: PINGRESP is D0 00 in both versions")
    void pingResp(MqttVersion version) {
        assertCodec("D0 00", PingResp.INSTANCE, version);
    }
}
