package dev.herald.mqtt.codec;

import static dev.herald.mqtt.codec.Codec.assertCodec;
import static dev.herald.mqtt.codec.Codec.assertDecodes;
import static dev.herald.mqtt.codec.Codec.encodeHex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.mqtt.message.Disconnect;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.DisconnectReasonCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DisconnectCodecTest {

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    @DisplayName("3.1.1 section 3.14 / MQTT 5.0 section 3.14.2.1: E0 00 is a normal disconnection")
    void normal(MqttVersion version) {
        assertCodec("E0 00", Disconnect.NORMAL, version);
    }

    @ParameterizedTest
    @EnumSource(DisconnectReasonCode.class)
    @DisplayName("MQTT 5.0 section 3.14.2.1, table 3-10: each reason code, Property Length left out (3.14.2.2.1)")
    void v5ReasonCodes(DisconnectReasonCode reason) {
        String bytes = reason == DisconnectReasonCode.NORMAL_DISCONNECTION
                ? "E0 00"
                : String.format("E0 01 %02X", reason.code());

        assertCodec(bytes, new Disconnect(reason), MqttVersion.V5);
    }

    @Test
    @DisplayName("MQTT 5.0 section 3.14.2.2.1: an explicit Property Length of 0 decodes to the same")
    void v5EmptyPropertyLength() {
        assertDecodes("E0 02 8E 00", new Disconnect(DisconnectReasonCode.SESSION_TAKEN_OVER), MqttVersion.V5);
        assertDecodes("E0 01 00", Disconnect.NORMAL, MqttVersion.V5);
    }

    @Test
    @DisplayName("MQTT 5.0 section 3.14.2.2: Session Expiry Interval, Reason String, Server Reference, User Property")
    void v5Properties() {
        String bytes = "E0 1C 9C 1A"
                + " 11 00 00 00 00" // Session Expiry Interval 0
                + " 1F 00 03 62 79 65" // Reason String "bye"
                + " 1C 00 05 6F 74 68 65 72" // Server Reference "other"
                + " 26 00 01 61 00 01 62"; // User Property a=b
        Properties properties = Properties.builder()
                .add(MqttProperty.SESSION_EXPIRY_INTERVAL, 0L)
                .reasonString("bye")
                .add(MqttProperty.SERVER_REFERENCE, "other")
                .userProperty("a", "b")
                .build();

        assertCodec(bytes, new Disconnect(DisconnectReasonCode.USE_ANOTHER_SERVER, properties), MqttVersion.V5);
    }

    @Test
    @DisplayName("3.1.1 section 3.14.2: a 3.1.1 DISCONNECT has no variable header")
    void v311HasNoBody() {
        Disconnect disconnect = new Disconnect(
                DisconnectReasonCode.SERVER_SHUTTING_DOWN,
                Properties.builder().reasonString("bye").build());

        assertThat(encodeHex(disconnect, MqttVersion.V3_1_1)).isEqualTo("E0 00");
    }
}
