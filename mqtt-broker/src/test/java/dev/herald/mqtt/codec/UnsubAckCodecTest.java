package dev.herald.mqtt.codec;

import static dev.herald.mqtt.codec.Codec.assertCodec;
import static dev.herald.mqtt.codec.Codec.encodeHex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.UnsubAck;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.UnsubAckReasonCode;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class UnsubAckCodecTest {

    @Test
    @DisplayName("3.1.1 section 3.11.2: the Packet Identifier alone, no payload (3.11.3)")
    void v311() {
        assertCodec("B0 02 00 0A", new UnsubAck(10, Properties.EMPTY, List.of()), MqttVersion.V3_1_1);
    }

    @ParameterizedTest
    @EnumSource(UnsubAckReasonCode.class)
    @DisplayName("MQTT 5.0 section 3.11.3, table 3-9: each UNSUBACK reason code")
    void v5ReasonCodes(UnsubAckReasonCode reason) {
        assertCodec(
                String.format("B0 04 00 0A 00 %02X", reason.code()),
                new UnsubAck(10, Properties.EMPTY, List.of(reason)),
                MqttVersion.V5);
    }

    @Test
    @DisplayName("MQTT 5.0 sections 3.11.2.1 and 3.11.3: a Reason String and one code per filter")
    void v5Properties() {
        List<UnsubAckReasonCode> codes = List.of(
                UnsubAckReasonCode.SUCCESS,
                UnsubAckReasonCode.NOT_AUTHORIZED,
                UnsubAckReasonCode.PACKET_IDENTIFIER_IN_USE);

        assertCodec(
                "B0 0A 00 0B 04 1F 00 01 78 00 87 91",
                new UnsubAck(11, Properties.builder().reasonString("x").build(), codes),
                MqttVersion.V5);
    }

    @Test
    @DisplayName("3.1.1 section 3.11: the reason codes and properties of an MQTT 5 UNSUBACK are not sent")
    void v311DropsCodes() {
        UnsubAck unsubAck =
                new UnsubAck(10, Properties.builder().reasonString("x").build(), List.of(UnsubAckReasonCode.SUCCESS));

        assertThat(encodeHex(unsubAck, MqttVersion.V3_1_1)).isEqualTo("B0 02 00 0A");
    }
}
