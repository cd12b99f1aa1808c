package dev.herald.mqtt.broker;

import static dev.herald.mqtt.broker.TestClients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.typesafe.config.ConfigFactory;
import dev.herald.mqtt.message.ConnAck;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.ConnectReasonCode;
import dev.herald.mqtt.testkit.HeraldBrokerExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Server redirection (MQTT 5.0 section 4.11): with {@code redirect.server-reference} set, every
 * MQTT 5 CONNECT is refused with CONNACK 0x9C Use another server, or 0x9D Server moved when the move
 * is permanent, carrying the Server Reference (section 3.2.2.3.16), and the connection closes
 * [MQTT-3.2.2-7]. A 3.1.1 client, which has neither code, gets return code 0x03 Server unavailable
 * (3.1.1 section 3.2.2.3).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class RedirectIT {

    private static final String REFERENCE = "other.example:1883";

    @RegisterExtension
    static final HeraldBrokerExtension broker =
            new HeraldBrokerExtension("herald.mqtt.redirect.server-reference = \"" + REFERENCE + "\"");

    @Test
    void aV5ConnectGetsUseAnotherServerWithTheReference() throws Exception {
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            ConnAck ack = raw.connect(raw.connectPacket("redirect-v5", true, 60, Properties.EMPTY, null));
            assertThat(ack.reasonCode()).isEqualTo(ConnectReasonCode.USE_ANOTHER_SERVER);
            assertThat(ack.sessionPresent()).isFalse();
            assertThat(ack.properties().string(MqttProperty.SERVER_REFERENCE)).isEqualTo(REFERENCE);
            assertThat(raw.readUntilClosed(WAIT)).isEmpty();
        }
    }

    @Test
    void aHiveMqV5ClientSeesTheServerReference() {
        Mqtt5ConnAckException refused =
                catchThrowableOfType(Mqtt5ConnAckException.class, () -> TestClients.v5(broker.port(), "redirect-hive")
                        .connect());
        assertThat(refused).isNotNull();
        assertThat(refused.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.USE_ANOTHER_SERVER);
        assertThat(refused.getMqttMessage().getServerReference().map(Object::toString))
                .hasValue(REFERENCE);
    }

    @Test
    void aV311ConnectGetsServerUnavailable() throws Exception {
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V3_1_1)) {
            ConnAck ack = raw.connect(raw.connectPacket("redirect-v3", true, 60, Properties.EMPTY, null));
            assertThat(ack.reasonCode()).isEqualTo(ConnectReasonCode.SERVER_UNAVAILABLE);
            assertThat(raw.lastFrame()).containsExactly(0x20, 0x02, 0x00, 0x03);
            assertThat(raw.readUntilClosed(WAIT)).isEmpty();
        }
    }

    @Test
    void aPermanentRedirectGetsServerMoved() throws Exception {
        try (EmbeddedBroker moved = EmbeddedBroker.start(ConfigFactory.parseString("herald.mqtt { bind = \"127.0.0.1\","
                        + " port = 0, redirect { server-reference = \"" + REFERENCE + "\", permanent = true } }")
                .withFallback(ConfigFactory.load()))) {
            try (RawMqttClient raw = RawMqttClient.open(moved.port(), MqttVersion.V5)) {
                ConnAck ack = raw.connect(raw.connectPacket("moved-v5", true, 60, Properties.EMPTY, null));
                assertThat(ack.reasonCode()).isEqualTo(ConnectReasonCode.SERVER_MOVED);
                assertThat(ack.properties().string(MqttProperty.SERVER_REFERENCE))
                        .isEqualTo(REFERENCE);
                assertThat(raw.readUntilClosed(WAIT)).isEmpty();
            }
            try (RawMqttClient raw = RawMqttClient.open(moved.port(), MqttVersion.V3_1_1)) {
                ConnAck ack = raw.connect(raw.connectPacket("moved-v3", true, 60, Properties.EMPTY, null));
                assertThat(raw.lastFrame()).containsExactly(0x20, 0x02, 0x00, 0x03);
                assertThat(ack.reasonCode()).isEqualTo(ConnectReasonCode.SERVER_UNAVAILABLE);
                assertThat(raw.readUntilClosed(WAIT)).isEmpty();
            }
        }
    }
}
