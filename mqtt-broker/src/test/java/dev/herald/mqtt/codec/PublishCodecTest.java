package dev.herald.mqtt.codec;

import static dev.herald.mqtt.codec.Bytes.hex;
import static dev.herald.mqtt.codec.Bytes.utf8;
import static dev.herald.mqtt.codec.Codec.assertCodec;
import static dev.herald.mqtt.codec.Codec.encodeHex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PublishCodecTest {

    private static final ByteString HELLO = utf8("hello");

    @Test
    @DisplayName("3.1.1 section 3.3.2.3, figure 3.11: Topic Name 'a/b', Packet Identifier 10, QoS 1")
    void v311SpecExample() {
        assertCodec(
                "32 0C 00 03 61 2F 62 00 0A 68 65 6C 6C 6F",
                new Publish("a/b", QoS.AT_LEAST_ONCE, false, false, 10, Properties.EMPTY, HELLO),
                MqttVersion.V3_1_1);
    }

    @Test
    @DisplayName("MQTT 5.0 section 3.3.2, figure 3-9: Topic Name 'a/b', Packet Identifier 10, no properties")
    void v5SpecExample() {
        assertCodec(
                "32 0D 00 03 61 2F 62 00 0A 00 68 65 6C 6C 6F",
                new Publish("a/b", QoS.AT_LEAST_ONCE, false, false, 10, Properties.EMPTY, HELLO),
                MqttVersion.V5);
    }

    @Test
    @DisplayName("section 3.3.2.2: a QoS 0 PUBLISH has no Packet Identifier")
    void qos0HasNoPacketId() {
        assertCodec("30 0A 00 03 61 2F 62 68 65 6C 6C 6F", Publish.atMostOnce("a/b", HELLO), MqttVersion.V3_1_1);
        assertCodec("30 0B 00 03 61 2F 62 00 68 65 6C 6C 6F", Publish.atMostOnce("a/b", HELLO), MqttVersion.V5);
    }

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    @DisplayName("section 3.3.1: DUP, QoS 2 and RETAIN in the fixed header; a zero length payload (3.3.3)")
    void flagsAndEmptyPayload(MqttVersion version) {
        Publish publish =
                new Publish("a/b", QoS.EXACTLY_ONCE, true, true, 11, Properties.EMPTY, ByteString.emptyByteString());
        String bytes = version == MqttVersion.V5 ? "3D 08 00 03 61 2F 62 00 0B 00" : "3D 07 00 03 61 2F 62 00 0B";

        assertCodec(bytes, publish, version);
    }

    @Test
    @DisplayName("3.1.1 section 1.5.3 / MQTT 5.0 section 1.5.4 example: 'A' U+2A6D4 is 00 05 41 F0 AA 9B 94")
    void supplementaryCharacterTopic() {
        Publish publish = Publish.atMostOnce("A\uD869\uDED4", ByteString.emptyByteString());

        assertCodec("30 07 00 05 41 F0 AA 9B 94", publish, MqttVersion.V3_1_1);
    }

    @Test
    @DisplayName("MQTT 5.0 section 3.3.2.3: every PUBLISH property, two Subscription Identifiers (3.3.2.3.8)")
    void v5Properties() {
        String bytes = "34 34 00 03 61 2F 62 00 0B"
                + " 2A" // Property Length 42
                + " 01 01" // Payload Format Indicator 1
                + " 02 00 00 00 3C" // Message Expiry Interval 60
                + " 03 00 04 6A 73 6F 6E" // Content Type "json"
                + " 08 00 03 72 2F 31" // Response Topic "r/1"
                + " 09 00 02 01 02" // Correlation Data 01 02
                + " 26 00 01 6B 00 01 76" // User Property k=v
                + " 0B 01 0B FF FF FF 7F" // Subscription Identifiers 1 and 268,435,455
                + " 23 00 05" // Topic Alias 5
                + " 7B 7D"; // payload "{}"
        Properties properties = Properties.builder()
                .add(MqttProperty.PAYLOAD_FORMAT_INDICATOR, 1)
                .add(MqttProperty.MESSAGE_EXPIRY_INTERVAL, 60L)
                .add(MqttProperty.CONTENT_TYPE, "json")
                .add(MqttProperty.RESPONSE_TOPIC, "r/1")
                .add(MqttProperty.CORRELATION_DATA, hex("01 02"))
                .userProperty("k", "v")
                .add(MqttProperty.SUBSCRIPTION_IDENTIFIER, 1)
                .add(MqttProperty.SUBSCRIPTION_IDENTIFIER, 268_435_455)
                .add(MqttProperty.TOPIC_ALIAS, 5)
                .build();

        assertCodec(
                bytes, new Publish("a/b", QoS.EXACTLY_ONCE, false, false, 11, properties, utf8("{}")), MqttVersion.V5);
    }

    @Test
    @DisplayName("MQTT 5.0 section 3.3.2.3.4: a zero length Topic Name with a Topic Alias")
    void v5TopicAliasWithEmptyTopic() {
        Properties alias = Properties.builder().add(MqttProperty.TOPIC_ALIAS, 5).build();

        assertCodec(
                "30 07 00 00 03 23 00 05 78",
                new Publish("", QoS.AT_MOST_ONCE, false, false, 0, alias, utf8("x")),
                MqttVersion.V5);
    }

    @Test
    @DisplayName("3.1.1 has no properties: a PUBLISH is sent to a 3.1.1 client without them")
    void v311DropsProperties() {
        Properties properties = Properties.builder().userProperty("k", "v").build();
        Publish publish = new Publish("a/b", QoS.AT_MOST_ONCE, false, false, 0, properties, HELLO);

        assertThat(encodeHex(publish, MqttVersion.V3_1_1)).isEqualTo("30 0A 00 03 61 2F 62 68 65 6C 6C 6F");
    }
}
