package dev.herald.mqtt.codec;

import static dev.herald.mqtt.codec.Codec.assertCodec;

import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.Unsubscribe;
import dev.herald.mqtt.message.property.Properties;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class UnsubscribeCodecTest {

    @Test
    @DisplayName("3.1.1 section 3.10.3, figure 3.30: Packet Identifier 10, 'a/b' and 'c/d'")
    void v311SpecExample() {
        assertCodec(
                "A2 0C 00 0A 00 03 61 2F 62 00 03 63 2F 64",
                new Unsubscribe(10, Properties.EMPTY, List.of("a/b", "c/d")),
                MqttVersion.V3_1_1);
    }

    @Test
    @DisplayName("MQTT 5.0 sections 3.10.2 and 3.10.3: the same filters after a Property Length of 0")
    void v5SpecExample() {
        assertCodec(
                "A2 0D 00 0A 00 00 03 61 2F 62 00 03 63 2F 64",
                new Unsubscribe(10, Properties.EMPTY, List.of("a/b", "c/d")),
                MqttVersion.V5);
    }

    @Test
    @DisplayName("MQTT 5.0 section 3.10.2.1.2: a User Property; wildcard filters")
    void v5Properties() {
        assertCodec(
                "A2 12 00 0B 07 26 00 01 61 00 01 62 00 03 61 2F 2B 00 01 23",
                new Unsubscribe(11, Properties.builder().userProperty("a", "b").build(), List.of("a/+", "#")),
                MqttVersion.V5);
    }
}
