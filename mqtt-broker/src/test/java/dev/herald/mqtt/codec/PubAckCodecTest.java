package dev.herald.mqtt.codec;

import static dev.herald.mqtt.codec.Codec.assertCodec;
import static dev.herald.mqtt.codec.Codec.assertDecodes;
import static dev.herald.mqtt.codec.Codec.encodeHex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PubAck;
import dev.herald.mqtt.message.PubComp;
import dev.herald.mqtt.message.PubRec;
import dev.herald.mqtt.message.PubRel;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.PubAckReasonCode;
import dev.herald.mqtt.message.reason.PubRelReasonCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** PUBACK, PUBREC, PUBREL and PUBCOMP: the QoS 1 and QoS 2 acknowledgements. */
class PubAckCodecTest {

    @Nested
    @DisplayName("PUBACK (3.1.1 section 3.4, MQTT 5.0 section 3.4)")
    class PubAckTest {

        @Test
        @DisplayName("3.1.1 section 3.4.2: the Packet Identifier alone")
        void v311() {
            assertCodec("40 02 00 0A", new PubAck(10), MqttVersion.V3_1_1);
        }

        @Test
        @DisplayName("MQTT 5.0 section 3.4.2.1: Remaining Length 2 means Success without properties")
        void v5Short() {
            assertCodec("40 02 00 0A", new PubAck(10), MqttVersion.V5);
        }

        @ParameterizedTest
        @EnumSource(PubAckReasonCode.class)
        @DisplayName("MQTT 5.0 section 3.4.2.1, table 3-4: a reason code without properties (3.4.2.2.1)")
        void v5ReasonCodes(PubAckReasonCode reason) {
            String bytes = reason == PubAckReasonCode.SUCCESS
                    ? "40 02 00 0A"
                    : String.format("40 03 00 0A %02X", reason.code());
            assertCodec(bytes, new PubAck(10, reason, Properties.EMPTY), MqttVersion.V5);
        }

        @Test
        @DisplayName("MQTT 5.0 section 3.4.2.2.1: a Property Length of 0 may be sent; the encoder leaves it out")
        void v5EmptyPropertyLength() {
            assertDecodes("40 04 00 0A 10 00", noMatch(), MqttVersion.V5);
            assertDecodes("40 04 00 0A 00 00", new PubAck(10), MqttVersion.V5);
            assertDecodes("40 03 00 0A 00", new PubAck(10), MqttVersion.V5);
        }

        @Test
        @DisplayName("MQTT 5.0 sections 3.4.2.2.2 and 3.4.2.2.3: Reason String and User Property")
        void v5Properties() {
            Properties properties = Properties.builder()
                    .reasonString("no")
                    .userProperty("a", "b")
                    .build();

            assertCodec(
                    "40 10 00 0A 87 0C 1F 00 02 6E 6F 26 00 01 61 00 01 62",
                    new PubAck(10, PubAckReasonCode.NOT_AUTHORIZED, properties),
                    MqttVersion.V5);
        }

        @Test
        @DisplayName("3.1.1 has neither reason codes nor properties: they are not sent")
        void v311DropsReasonAndProperties() {
            PubAck ack = new PubAck(
                    10,
                    PubAckReasonCode.NOT_AUTHORIZED,
                    Properties.builder().reasonString("no").build());

            assertThat(encodeHex(ack, MqttVersion.V3_1_1)).isEqualTo("40 02 00 0A");
        }

        private PubAck noMatch() {
            return new PubAck(10, PubAckReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY);
        }
    }

    @Nested
    @DisplayName("PUBREC (3.1.1 section 3.5, MQTT 5.0 section 3.5)")
    class PubRecTest {

        @ParameterizedTest
        @EnumSource(MqttVersion.class)
        @DisplayName("section 3.5.2: the Packet Identifier alone")
        void success(MqttVersion version) {
            assertCodec("50 02 00 0A", new PubRec(10), version);
        }

        @Test
        @DisplayName("MQTT 5.0 section 3.5.2.1, table 3-5: Packet Identifier in use, with a Reason String")
        void v5ReasonAndProperties() {
            assertCodec(
                    "50 0B 00 0A 91 07 1F 00 04 62 75 73 79",
                    new PubRec(
                            10,
                            PubAckReasonCode.PACKET_IDENTIFIER_IN_USE,
                            Properties.builder().reasonString("busy").build()),
                    MqttVersion.V5);
        }
    }

    @Nested
    @DisplayName("PUBREL (3.1.1 section 3.6, MQTT 5.0 section 3.6)")
    class PubRelTest {

        @ParameterizedTest
        @EnumSource(MqttVersion.class)
        @DisplayName("section 3.6.1: fixed header flags 0010")
        void success(MqttVersion version) {
            assertCodec("62 02 00 0A", new PubRel(10), version);
        }

        @Test
        @DisplayName("MQTT 5.0 section 3.6.2.1, table 3-6: Packet Identifier not found, with a User Property")
        void v5ReasonAndProperties() {
            assertCodec(
                    "62 0B 00 0A 92 07 26 00 01 61 00 01 62",
                    new PubRel(
                            10,
                            PubRelReasonCode.PACKET_IDENTIFIER_NOT_FOUND,
                            Properties.builder().userProperty("a", "b").build()),
                    MqttVersion.V5);
        }

        @Test
        @DisplayName("MQTT 5.0 section 3.6.2.1: the reason code alone")
        void v5ReasonOnly() {
            assertCodec(
                    "62 03 00 0A 92",
                    new PubRel(10, PubRelReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY),
                    MqttVersion.V5);
        }
    }

    @Nested
    @DisplayName("PUBCOMP (3.1.1 section 3.7, MQTT 5.0 section 3.7)")
    class PubCompTest {

        @ParameterizedTest
        @EnumSource(MqttVersion.class)
        @DisplayName("section 3.7.2: the Packet Identifier alone, here the largest one")
        void success(MqttVersion version) {
            assertCodec("70 02 FF FF", new PubComp(65535), version);
        }

        @Test
        @DisplayName("MQTT 5.0 section 3.7.2.1, table 3-7: Packet Identifier not found, with a Reason String")
        void v5ReasonAndProperties() {
            assertCodec(
                    "70 08 FF FF 92 04 1F 00 01 3F",
                    new PubComp(
                            65535,
                            PubRelReasonCode.PACKET_IDENTIFIER_NOT_FOUND,
                            Properties.builder().reasonString("?").build()),
                    MqttVersion.V5);
        }
    }
}
