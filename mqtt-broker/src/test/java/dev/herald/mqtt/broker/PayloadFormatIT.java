package dev.herald.mqtt.broker;

import static dev.herald.mqtt.broker.TestClients.WAIT;
import static dev.herald.mqtt.broker.TestClients.collect;
import static dev.herald.mqtt.broker.TestClients.connectV5;
import static dev.herald.mqtt.broker.TestClients.disconnectQuietly;
import static dev.herald.mqtt.broker.TestClients.payloadsBefore;
import static dev.herald.mqtt.broker.TestClients.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.herald.mqtt.message.ConnAck;
import dev.herald.mqtt.message.Disconnect;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PubAck;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.SubAck;
import dev.herald.mqtt.message.Will;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.ConnectReasonCode;
import dev.herald.mqtt.message.reason.DisconnectReasonCode;
import dev.herald.mqtt.message.reason.PubAckReasonCode;
import dev.herald.mqtt.testkit.HeraldBrokerExtension;
import java.util.Queue;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Payload Format Indicator 1 promises well-formed UTF-8 (MQTT 5.0 section 3.3.2.3.2, for a Will
 * section 3.1.3.2.3): a PUBLISH that breaks it gets PUBACK 0x99 (QoS 1) or DISCONNECT 0x99 (QoS 0)
 * and goes nowhere; a CONNECT whose Will breaks it gets CONNACK 0x99. A message that keeps it is
 * forwarded with its indicator unaltered ([MQTT-3.3.2-4]) and Content Type, Response Topic,
 * Correlation Data and User Properties unchanged and in order (sections 3.3.2.3.5 to 3.3.2.3.9).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class PayloadFormatIT {

    /** "(" after a lead byte that needs a continuation byte: not UTF-8. */
    private static final ByteString NOT_UTF8 = ByteString.fromArray(new byte[] {(byte) 0xC3, (byte) 0x28});

    private static final Properties UTF8_INDICATOR =
            Properties.builder().add(MqttProperty.PAYLOAD_FORMAT_INDICATOR, 1).build();

    @RegisterExtension
    static final HeraldBrokerExtension broker = new HeraldBrokerExtension();

    @Test
    void aQos1PublishThatIsNotUtf8GetsPubAck0x99AndIsNotDelivered() throws Exception {
        Mqtt5BlockingClient sub = connectV5(broker.port(), "pfi-sub-q1");
        try (RawMqttClient pub = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            Queue<Mqtt5Publish> received = collect(sub);
            subscribe(sub, "pfi/q1/#", MqttQos.AT_LEAST_ONCE);
            pub.connect("pfi-pub-q1", true, 0, null);

            pub.send(new Publish("pfi/q1/t", QoS.AT_LEAST_ONCE, false, false, 1, UTF8_INDICATOR, NOT_UTF8));
            PubAck refused = pub.expect(PubAck.class);
            assertThat(refused.packetId()).isEqualTo(1);
            assertThat(refused.reasonCode()).isEqualTo(PubAckReasonCode.PAYLOAD_FORMAT_INVALID);

            // The connection carries on; the sentinel follows at the same QoS.
            pub.publish("pfi/q1/end", QoS.AT_LEAST_ONCE, 2, false, "end");
            assertThat(pub.expect(PubAck.class).reasonCode()).isEqualTo(PubAckReasonCode.SUCCESS);
            assertThat(payloadsBefore(received, "pfi/q1/end")).isEmpty();
        } finally {
            disconnectQuietly(sub);
        }
    }

    @Test
    void aQos0PublishThatIsNotUtf8GetsDisconnect0x99AndIsNotDelivered() throws Exception {
        Mqtt5BlockingClient sub = connectV5(broker.port(), "pfi-sub-q0");
        Mqtt5BlockingClient other = connectV5(broker.port(), "pfi-other-q0");
        try (RawMqttClient pub = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            Queue<Mqtt5Publish> received = collect(sub);
            subscribe(sub, "pfi/q0/#", MqttQos.AT_MOST_ONCE);
            pub.connect("pfi-pub-q0", true, 0, null);

            pub.send(new Publish("pfi/q0/t", QoS.AT_MOST_ONCE, false, false, 0, UTF8_INDICATOR, NOT_UTF8));
            assertThat(pub.readUntilClosed(WAIT))
                    .containsExactly(new Disconnect(DisconnectReasonCode.PAYLOAD_FORMAT_INVALID));

            TestClients.publish(other, "pfi/q0/end", MqttQos.AT_MOST_ONCE, "end");
            assertThat(payloadsBefore(received, "pfi/q0/end")).isEmpty();
        } finally {
            disconnectQuietly(sub);
            disconnectQuietly(other);
        }
    }

    @Test
    void aUtf8PayloadIsDeliveredWithItsPropertiesUnchangedAndInOrder() throws Exception {
        Properties props = Properties.builder()
                .add(MqttProperty.PAYLOAD_FORMAT_INDICATOR, 1)
                .add(MqttProperty.CONTENT_TYPE, "text/plain; charset=utf-8")
                .add(MqttProperty.RESPONSE_TOPIC, "pfi/replies/42")
                .add(MqttProperty.CORRELATION_DATA, ByteString.fromArray(new byte[] {0, 1, (byte) 0xFE, (byte) 0xFF}))
                .userProperty("z-first", "1")
                .userProperty("a-second", "2")
                .userProperty("z-first", "3") // a repeated name keeps its place
                .build();
        assertDeliveredVerbatim(
                "pfi-valid",
                new Publish(
                        "pfi/valid/t", QoS.AT_LEAST_ONCE, false, false, 1, props, RawMqttClient.utf8("héllo € 😀")));
    }

    @Test
    void aUtf8PayloadHoldingUPlus0000IsDelivered() throws Exception {
        // Payload data need only be well-formed UTF-8 per Unicode / RFC 3629 (MQTT 5.0 3.3.2.3.2), where
        // U+0000 is well-formed; the ban on U+0000 [MQTT-1.5.4-2] is for UTF-8 Encoded Strings only.
        assertDeliveredVerbatim(
                "pfi-nul",
                new Publish(
                        "pfi/nul/t",
                        QoS.AT_LEAST_ONCE,
                        false,
                        false,
                        1,
                        UTF8_INDICATOR,
                        RawMqttClient.utf8("a\u0000b")));
    }

    @Test
    void aWillThatIsNotUtf8IsRefusedWithConnAck0x99() throws Exception {
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            Will will = new Will("pfi/will", NOT_UTF8, QoS.AT_MOST_ONCE, false, UTF8_INDICATOR);
            ConnAck ack = raw.connect(raw.connectPacket("pfi-will-bad", true, 60, Properties.EMPTY, will));
            assertThat(ack.reasonCode()).isEqualTo(ConnectReasonCode.PAYLOAD_FORMAT_INVALID);
            assertThat(raw.readUntilClosed(WAIT)).isEmpty();
        }
    }

    @Test
    void aWillThatIsUtf8IsAccepted() throws Exception {
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            Will will = new Will("pfi/will", RawMqttClient.utf8("adiós"), QoS.AT_MOST_ONCE, false, UTF8_INDICATOR);
            ConnAck ack = raw.connect(raw.connectPacket("pfi-will-good", true, 60, Properties.EMPTY, will));
            assertThat(ack.reasonCode()).isEqualTo(ConnectReasonCode.SUCCESS);
            raw.send(Disconnect.NORMAL);
            assertThat(raw.readUntilClosed(WAIT)).isEmpty();
        }
    }

    /** Publishes from a raw client to a raw subscriber and checks what arrives, byte for byte in its parts. */
    private void assertDeliveredVerbatim(String id, Publish sent) throws Exception {
        try (RawMqttClient sub = RawMqttClient.open(broker.port(), MqttVersion.V5);
                RawMqttClient pub = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            sub.connect(id + "-sub", true, 0, null); // no Topic Alias Maximum: the topic comes in full
            sub.subscribe(1, sent.topic(), QoS.AT_LEAST_ONCE);
            sub.expect(SubAck.class);
            pub.connect(id + "-pub", true, 0, null);

            pub.send(sent);
            PubAck ack = pub.expect(PubAck.class);
            assertThat(ack.reasonCode()).isEqualTo(PubAckReasonCode.SUCCESS);

            Publish got = sub.expect(Publish.class);
            assertThat(got.topic()).isEqualTo(sent.topic());
            assertThat(got.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
            assertThat(got.payload()).isEqualTo(sent.payload());
            // Properties compare entry by entry in wire order (Properties.equals).
            assertThat(got.properties()).isEqualTo(sent.properties());
            sub.send(new PubAck(got.packetId()));
        }
    }
}
