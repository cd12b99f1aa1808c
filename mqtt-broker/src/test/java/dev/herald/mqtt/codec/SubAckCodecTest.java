package dev.herald.mqtt.codec;

import static dev.herald.mqtt.codec.Codec.assertCodec;
import static dev.herald.mqtt.codec.Codec.encodeHex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.SubAck;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.SubAckReasonCode;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SubAckCodecTest {

    private static final List<SubAckReasonCode> QOS0_QOS2_FAILURE =
            List.of(SubAckReasonCode.GRANTED_QOS_0, SubAckReasonCode.GRANTED_QOS_2, SubAckReasonCode.UNSPECIFIED_ERROR);

    @Test
    @DisplayName("3.1.1 section 3.9.3, figure 3.27: Success QoS 0, Success QoS 2, Failure 0x80")
    void v311SpecExample() {
        assertCodec("90 05 00 0A 00 02 80", new SubAck(10, Properties.EMPTY, QOS0_QOS2_FAILURE), MqttVersion.V3_1_1);
    }

    @Test
    @DisplayName("MQTT 5.0 sections 3.9.2 and 3.9.3: the same codes after a Property Length of 0")
    void v5SameCodes() {
        assertCodec("90 06 00 0A 00 00 02 80", new SubAck(10, Properties.EMPTY, QOS0_QOS2_FAILURE), MqttVersion.V5);
    }

    @ParameterizedTest
    @EnumSource(SubAckReasonCode.class)
    @DisplayName("MQTT 5.0 section 3.9.3, table 3-8: each SUBACK reason code")
    void v5ReasonCodes(SubAckReasonCode reason) {
        assertCodec(
                String.format("90 04 00 0A 00 %02X", reason.code()),
                new SubAck(10, Properties.EMPTY, List.of(reason)),
                MqttVersion.V5);
    }

    @Test
    @DisplayName("MQTT 5.0 section 3.9.2.1.2: a Reason String before the codes")
    void v5Properties() {
        List<SubAckReasonCode> codes = List.of(
                SubAckReasonCode.GRANTED_QOS_1,
                SubAckReasonCode.TOPIC_FILTER_INVALID,
                SubAckReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED,
                SubAckReasonCode.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED,
                SubAckReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED,
                SubAckReasonCode.NOT_AUTHORIZED);

        assertCodec(
                "90 12 00 0B 09 1F 00 06 70 61 72 74 6C 79 01 8F 9E A1 A2 87",
                new SubAck(11, Properties.builder().reasonString("partly").build(), codes),
                MqttVersion.V5);
    }

    @Test
    @DisplayName("3.1.1 section 3.9.3: every MQTT 5 failure is sent as 0x80, and no properties")
    void v311Failures() {
        SubAck subAck = new SubAck(
                10,
                Properties.builder().reasonString("no").build(),
                List.of(
                        SubAckReasonCode.GRANTED_QOS_1,
                        SubAckReasonCode.NOT_AUTHORIZED,
                        SubAckReasonCode.TOPIC_FILTER_INVALID));

        assertThat(encodeHex(subAck, MqttVersion.V3_1_1)).isEqualTo("90 05 00 0A 01 80 80");
    }
}
