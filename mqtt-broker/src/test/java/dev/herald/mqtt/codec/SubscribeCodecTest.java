package dev.herald.mqtt.codec;

import static dev.herald.mqtt.codec.Codec.assertCodec;
import static dev.herald.mqtt.codec.Codec.encodeHex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.RetainHandling;
import dev.herald.mqtt.message.Subscribe;
import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SubscribeCodecTest {

    private static final List<Subscription> AB_CD =
            List.of(new Subscription("a/b", QoS.AT_LEAST_ONCE), new Subscription("c/d", QoS.EXACTLY_ONCE));

    @Test
    @DisplayName(
            "3.1.1 sections 3.8.2.1 and 3.8.3.1, figures 3.21 and 3.23: Packet Identifier 10, 'a/b' QoS 1, 'c/d' QoS 2")
    void v311SpecExample() {
        assertCodec(
                "82 0E 00 0A 00 03 61 2F 62 01 00 03 63 2F 64 02",
                new Subscribe(10, Properties.EMPTY, AB_CD),
                MqttVersion.V3_1_1);
    }

    @Test
    @DisplayName("MQTT 5.0 figures 3-19 and 3-21: Packet Identifier 10, no properties, 'a/b' QoS 1 and 'c/d' QoS 2")
    void v5SpecExample() {
        assertCodec(
                "82 0F 00 0A 00 00 03 61 2F 62 01 00 03 63 2F 64 02",
                new Subscribe(10, Properties.EMPTY, AB_CD),
                MqttVersion.V5);
    }

    @Test
    @DisplayName(
            "MQTT 5.0 sections 3.8.2.1 and 3.8.3.1: Subscription Identifier, No Local, Retain As Published, Retain Handling")
    void v5OptionsAndProperties() {
        String bytes = "82 24 00 0B"
                + " 0A 0B E8 07 26 00 01 61 00 01 62" // Subscription Identifier 1000, User Property a=b
                + " 00 03 61 2F 2B 2E" // "a/+": QoS 2, No Local, Retain As Published, Retain Handling 2
                + " 00 01 23 10" // "#": QoS 0, Retain Handling 1
                + " 00 0A 24 73 68 61 72 65 2F 67 2F 78 01"; // "$share/g/x": QoS 1
        Properties properties = Properties.builder()
                .add(MqttProperty.SUBSCRIPTION_IDENTIFIER, 1000)
                .userProperty("a", "b")
                .build();
        List<Subscription> subscriptions = List.of(
                new Subscription("a/+", QoS.EXACTLY_ONCE, true, true, RetainHandling.DO_NOT_SEND),
                new Subscription("#", QoS.AT_MOST_ONCE, false, false, RetainHandling.SEND_IF_NEW_SUBSCRIPTION),
                new Subscription("$share/g/x", QoS.AT_LEAST_ONCE));

        assertCodec(bytes, new Subscribe(11, properties, subscriptions), MqttVersion.V5);
    }

    @Test
    @DisplayName("3.1.1 section 3.8.3.1: only the Requested QoS is sent, bits 2-7 stay 0")
    void v311SendsOnlyTheQos() {
        Subscribe subscribe = new Subscribe(
                11,
                Properties.builder().userProperty("a", "b").build(),
                List.of(new Subscription("a/+", QoS.EXACTLY_ONCE, true, true, RetainHandling.DO_NOT_SEND)));

        assertThat(encodeHex(subscribe, MqttVersion.V3_1_1)).isEqualTo("82 08 00 0B 00 03 61 2F 2B 02");
    }
}
