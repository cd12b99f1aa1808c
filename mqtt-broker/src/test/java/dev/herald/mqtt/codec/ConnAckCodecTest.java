package dev.herald.mqtt.codec;

import static dev.herald.mqtt.codec.Bytes.hex;
import static dev.herald.mqtt.codec.Codec.assertCodec;
import static dev.herald.mqtt.codec.Codec.encodeHex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.mqtt.message.ConnAck;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.ConnectReasonCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ConnAckCodecTest {

    @ParameterizedTest(name = "return code {0} is {1}")
    @CsvSource({
        "00, SUCCESS",
        "01, UNSUPPORTED_PROTOCOL_VERSION",
        "02, CLIENT_IDENTIFIER_NOT_VALID",
        "03, SERVER_UNAVAILABLE",
        "04, BAD_USER_NAME_OR_PASSWORD",
        "05, NOT_AUTHORIZED"
    })
    @DisplayName("3.1.1 section 3.2.2.3, table 3.1: each Connect Return Code")
    void v311ReturnCodes(String returnCode, ConnectReasonCode reason) {
        assertCodec("20 02 00 " + returnCode, new ConnAck(false, reason, Properties.EMPTY), MqttVersion.V3_1_1);
    }

    @Test
    @DisplayName("3.1.1 section 3.2.2.2: Session Present is bit 0 of the acknowledge flags")
    void v311SessionPresent() {
        assertCodec("20 02 01 00", new ConnAck(true, ConnectReasonCode.SUCCESS, Properties.EMPTY), MqttVersion.V3_1_1);
    }

    @Test
    @DisplayName("3.1.1 section 3.2.2.3: an MQTT 5 reason is sent as the nearest 3.1.1 return code")
    void v311NearestReturnCode() {
        assertThat(encodeHex(refused(ConnectReasonCode.BANNED), MqttVersion.V3_1_1))
                .isEqualTo("20 02 00 05");
        assertThat(encodeHex(refused(ConnectReasonCode.BAD_AUTHENTICATION_METHOD), MqttVersion.V3_1_1))
                .isEqualTo("20 02 00 04");
        assertThat(encodeHex(refused(ConnectReasonCode.SERVER_BUSY), MqttVersion.V3_1_1))
                .isEqualTo("20 02 00 03");
    }

    @ParameterizedTest
    @EnumSource(ConnectReasonCode.class)
    @DisplayName("MQTT 5.0 section 3.2.2.2, table 3-1: each Connect Reason Code, Property Length 0")
    void v5ReasonCodes(ConnectReasonCode reason) {
        assertCodec(
                String.format("20 03 00 %02X 00", reason.code()),
                new ConnAck(false, reason, Properties.EMPTY),
                MqttVersion.V5);
    }

    @Test
    @DisplayName("MQTT 5.0 section 3.2.2.1.1: Session Present")
    void v5SessionPresent() {
        assertCodec("20 03 01 00 00", new ConnAck(true, ConnectReasonCode.SUCCESS, Properties.EMPTY), MqttVersion.V5);
    }

    @Test
    @DisplayName("MQTT 5.0 section 3.2.2.3: every CONNACK property")
    void v5Properties() {
        String bytes = "20 43 00 00 40"
                + " 11 00 00 0E 10" // Session Expiry Interval 3600
                + " 21 00 64" // Receive Maximum 100
                + " 24 01" // Maximum QoS 1
                + " 25 00" // Retain Available 0
                + " 27 00 01 00 00" // Maximum Packet Size 65536
                + " 12 00 02 78 31" // Assigned Client Identifier "x1"
                + " 22 00 05" // Topic Alias Maximum 5
                + " 1F 00 02 6F 6B" // Reason String "ok"
                + " 26 00 01 61 00 01 62" // User Property a=b
                + " 28 01 29 00 2A 01" // Wildcard, Subscription Identifier, Shared Subscription Available
                + " 13 00 1E" // Server Keep Alive 30
                + " 1A 00 02 72 69" // Response Information "ri"
                + " 1C 00 02 73 32" // Server Reference "s2"
                + " 15 00 01 6D 16 00 01 07"; // Authentication Method "m", Authentication Data 07
        Properties properties = Properties.builder()
                .add(MqttProperty.SESSION_EXPIRY_INTERVAL, 3600L)
                .add(MqttProperty.RECEIVE_MAXIMUM, 100)
                .add(MqttProperty.MAXIMUM_QOS, 1)
                .add(MqttProperty.RETAIN_AVAILABLE, 0)
                .add(MqttProperty.MAXIMUM_PACKET_SIZE, 65536L)
                .add(MqttProperty.ASSIGNED_CLIENT_IDENTIFIER, "x1")
                .add(MqttProperty.TOPIC_ALIAS_MAXIMUM, 5)
                .reasonString("ok")
                .userProperty("a", "b")
                .add(MqttProperty.WILDCARD_SUBSCRIPTION_AVAILABLE, 1)
                .add(MqttProperty.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 0)
                .add(MqttProperty.SHARED_SUBSCRIPTION_AVAILABLE, 1)
                .add(MqttProperty.SERVER_KEEP_ALIVE, 30)
                .add(MqttProperty.RESPONSE_INFORMATION, "ri")
                .add(MqttProperty.SERVER_REFERENCE, "s2")
                .add(MqttProperty.AUTHENTICATION_METHOD, "m")
                .add(MqttProperty.AUTHENTICATION_DATA, hex("07"))
                .build();

        assertCodec(bytes, new ConnAck(false, ConnectReasonCode.SUCCESS, properties), MqttVersion.V5);
    }

    @Test
    @DisplayName(
            "MQTT 5.0 [MQTT-3.2.2-19], [MQTT-3.2.2-20]: Reason String, then User Properties, give way to a Maximum Packet Size")
    void v5TrimsToMaximumPacketSize() {
        ConnAck connAck = new ConnAck(
                false,
                ConnectReasonCode.NOT_AUTHORIZED,
                Properties.builder().reasonString("ok").userProperty("a", "b").build());

        assertThat(Bytes.toHex(MqttEncoder.encode(connAck, MqttVersion.V5, 17)))
                .isEqualTo("20 0F 00 87 0C 1F 00 02 6F 6B 26 00 01 61 00 01 62");
        assertThat(Bytes.toHex(MqttEncoder.encode(connAck, MqttVersion.V5, 16)))
                .isEqualTo("20 0A 00 87 07 26 00 01 61 00 01 62");
        assertThat(Bytes.toHex(MqttEncoder.encode(connAck, MqttVersion.V5, 11))).isEqualTo("20 03 00 87 00");
        assertThat(MqttEncoder.encode(connAck, MqttVersion.V5, 4)).isNull();
    }

    private static ConnAck refused(ConnectReasonCode reason) {
        return new ConnAck(false, reason, Properties.EMPTY);
    }
}
