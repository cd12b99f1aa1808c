package dev.herald.mqtt.codec;

import static dev.herald.mqtt.codec.Bytes.hex;
import static dev.herald.mqtt.codec.Bytes.utf8;
import static dev.herald.mqtt.codec.Codec.assertCodec;
import static dev.herald.mqtt.codec.Codec.encodeHex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.mqtt.message.Connect;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.Will;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConnectCodecTest {

    private static final Will BYE_QOS1 = new Will("a/b", utf8("bye"), QoS.AT_LEAST_ONCE, false, Properties.EMPTY);

    @Test
    @DisplayName(
            "3.1.1 section 3.1.2.11 (after 3.1.2.10 Keep Alive), figure 3.6: 'MQTT' 4 0xCE keep alive 10; payload of 3.1.3")
    void v311SpecExample() {
        String bytes = "10 23"
                // Protocol Name "MQTT", Protocol Level 4, flags: user name, password, will QoS 1, will, clean session
                + " 00 04 4D 51 54 54 04 CE 00 0A"
                + " 00 03 61 62 63" // Client Identifier "abc"
                + " 00 03 61 2F 62" // Will Topic "a/b"
                + " 00 03 62 79 65" // Will Message "bye"
                + " 00 04 75 73 65 72" // User Name "user"
                + " 00 02 70 77"; // Password "pw"
        Connect connect =
                new Connect(MqttVersion.V3_1_1, true, 10, "abc", Properties.EMPTY, BYE_QOS1, "user", utf8("pw"));

        assertCodec(bytes, connect, MqttVersion.V3_1_1);
    }

    @Test
    @DisplayName(
            "MQTT 5.0 section 3.1.2.12, figure 3-6: version 5, flags 0xCE, keep alive 10, Session Expiry Interval 10")
    void v5SpecExample() {
        String bytes = "10 2A"
                + " 00 04 4D 51 54 54 05 CE 00 0A"
                + " 05 11 00 00 00 0A" // Property Length 5, Session Expiry Interval (0x11) 10
                + " 00 03 61 62 63" // Client Identifier "abc"
                + " 00" // Will Properties: none (3.1.3.2)
                + " 00 03 61 2F 62 00 03 62 79 65" // Will Topic, Will Payload
                + " 00 04 75 73 65 72 00 02 70 77"; // User Name, Password
        Properties properties = Properties.builder()
                .add(MqttProperty.SESSION_EXPIRY_INTERVAL, 10L)
                .build();
        Connect connect = new Connect(MqttVersion.V5, true, 10, "abc", properties, BYE_QOS1, "user", utf8("pw"));

        assertCodec(bytes, connect, MqttVersion.V5);
    }

    @Test
    @DisplayName("3.1.1 section 3.1: the smallest CONNECT, clean session, empty client identifier (3.1.3.1)")
    void v311Minimal() {
        Connect connect = new Connect(MqttVersion.V3_1_1, true, 60, "", Properties.EMPTY, null, null, null);

        assertCodec("10 0C 00 04 4D 51 54 54 04 02 00 3C 00 00", connect, MqttVersion.V3_1_1);
    }

    @Test
    @DisplayName("MQTT 5.0 sections 3.1.2.11 and 3.1.3.2: CONNECT Properties and Will Properties in wire order")
    void v5Properties() {
        String bytes = "10 4E 00 04 4D 51 54 54 05 26 00 3C"
                + " 1F" // Property Length 31
                + " 21 00 14" // Receive Maximum 20
                + " 22 00 0A" // Topic Alias Maximum 10
                + " 27 00 00 04 00" // Maximum Packet Size 1024
                + " 17 00" // Request Problem Information 0
                + " 26 00 01 6B 00 01 76" // User Property k=v
                + " 15 00 03 74 6F 6B" // Authentication Method "tok"
                + " 16 00 02 01 02" // Authentication Data 01 02
                + " 00 02 69 64" // Client Identifier "id"
                + " 18" // Will Property Length 24
                + " 18 00 00 00 3C" // Will Delay Interval 60
                + " 01 01" // Payload Format Indicator 1
                + " 03 00 01 74" // Content Type "t"
                + " 08 00 01 72" // Response Topic "r"
                + " 09 00 01 AB" // Correlation Data AB
                + " 02 00 00 00 0A" // Message Expiry Interval 10
                + " 00 03 77 2F 74 00 00"; // Will Topic "w/t", empty Will Payload
        Properties properties = Properties.builder()
                .add(MqttProperty.RECEIVE_MAXIMUM, 20)
                .add(MqttProperty.TOPIC_ALIAS_MAXIMUM, 10)
                .add(MqttProperty.MAXIMUM_PACKET_SIZE, 1024L)
                .add(MqttProperty.REQUEST_PROBLEM_INFORMATION, 0)
                .userProperty("k", "v")
                .add(MqttProperty.AUTHENTICATION_METHOD, "tok")
                .add(MqttProperty.AUTHENTICATION_DATA, hex("01 02"))
                .build();
        Properties willProperties = Properties.builder()
                .add(MqttProperty.WILL_DELAY_INTERVAL, 60L)
                .add(MqttProperty.PAYLOAD_FORMAT_INDICATOR, 1)
                .add(MqttProperty.CONTENT_TYPE, "t")
                .add(MqttProperty.RESPONSE_TOPIC, "r")
                .add(MqttProperty.CORRELATION_DATA, hex("AB"))
                .add(MqttProperty.MESSAGE_EXPIRY_INTERVAL, 10L)
                .build();
        Will will = new Will("w/t", ByteString.emptyByteString(), QoS.AT_MOST_ONCE, true, willProperties);
        Connect connect = new Connect(MqttVersion.V5, true, 60, "id", properties, will, null, null);

        assertCodec(bytes, connect, MqttVersion.V5);
    }

    @Test
    @DisplayName("MQTT 5.0 section 3.1.2.9: a Password without a User Name is allowed in version 5")
    void v5PasswordWithoutUserName() {
        Connect connect = new Connect(MqttVersion.V5, false, 0, "", Properties.EMPTY, null, null, utf8("secret"));

        assertCodec("10 15 00 04 4D 51 54 54 05 40 00 00 00 00 00 00 06 73 65 63 72 65 74", connect, MqttVersion.V5);
    }

    @Test
    @DisplayName("section 3.1.2.2: CONNECT carries its own protocol level, whatever the decoder's version")
    void versionComesFromThePacket() {
        Connect v311 = new Connect(MqttVersion.V3_1_1, true, 60, "", Properties.EMPTY, null, null, null);
        String bytes = "10 0C 00 04 4D 51 54 54 04 02 00 3C 00 00";

        assertThat(Codec.decode(hex(bytes), MqttVersion.V5)).isEqualTo(v311);
        assertThat(encodeHex(v311, MqttVersion.V5)).isEqualTo(bytes);
    }

    @Test
    @DisplayName("section 1.5.6: Binary Data holds at most 65,535 bytes; more is refused, not truncated")
    void binaryDataLimit() {
        ByteString largest = ByteString.fromArrayUnsafe(new byte[65_535]);
        ByteString tooLarge = ByteString.fromArrayUnsafe(new byte[65_536]);
        Will will = new Will("w", largest, QoS.AT_MOST_ONCE, false, Properties.EMPTY);
        Connect connect = new Connect(MqttVersion.V5, true, 0, "c", Properties.EMPTY, will, "u", largest);

        assertThat(Codec.decode(MqttEncoder.encode(connect, MqttVersion.V5), MqttVersion.V5))
                .isEqualTo(connect);
        assertThatThrownBy(() -> MqttEncoder.encode(
                        new Connect(MqttVersion.V5, true, 0, "c", Properties.EMPTY, will, "u", tooLarge),
                        MqttVersion.V5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MqttEncoder.encode(
                        new Connect(
                                MqttVersion.V3_1_1,
                                true,
                                0,
                                "c",
                                Properties.EMPTY,
                                new Will("w", tooLarge, QoS.AT_MOST_ONCE, false, Properties.EMPTY),
                                null,
                                null),
                        MqttVersion.V3_1_1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MqttEncoder.encode(
                        new Connect(MqttVersion.V5, true, 0, "x".repeat(65_536), Properties.EMPTY, null, null, null),
                        MqttVersion.V5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
