package dev.herald.mqtt.broker;

import static dev.herald.mqtt.broker.TestClients.WAIT;
import static dev.herald.mqtt.broker.TestClients.disconnectQuietly;
import static dev.herald.mqtt.broker.TestClients.v5;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckRestrictions;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.herald.mqtt.message.ConnAck;
import dev.herald.mqtt.message.Disconnect;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.SubAck;
import dev.herald.mqtt.message.Subscribe;
import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.message.Will;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.ConnectReasonCode;
import dev.herald.mqtt.message.reason.DisconnectReasonCode;
import dev.herald.mqtt.message.reason.SubAckReasonCode;
import dev.herald.mqtt.testkit.HeraldBrokerExtension;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A broker configured below the protocol's full feature set: Maximum QoS 1, no retained messages,
 * no wildcard, shared subscriptions, Subscription Identifiers or Topic Aliases. The CONNACK says so
 * (MQTT 5.0 section 3.2.2.3), and an MQTT 5 client that ignores it is disconnected with the matching
 * code (0x9B, 0x9A, 0xA2, 0x9E, 0xA1, 0x94); a 3.1.1 client, which was told nothing, gets SUBACK 0x80.
 * Real client libraries honour the CONNACK and will not send such packets, so those are sent from a
 * raw socket.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class RestrictedBrokerIT {

    @RegisterExtension
    static final HeraldBrokerExtension broker =
            new HeraldBrokerExtension("herald.mqtt { maximum-qos = 1, retain-available = false,"
                    + " wildcard-subscriptions = false, shared-subscriptions.enabled = false,"
                    + " subscription-identifiers = false, topic-alias-maximum = 0 }");

    @Test
    void connAckAdvertisesMaximumQosAndRetainAvailable() throws Exception {
        Mqtt5BlockingClient client = v5(broker.port(), "restricted-connack");
        try {
            Mqtt5ConnAckRestrictions r = client.connect().getRestrictions();
            assertThat(r.getMaximumQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
            assertThat(r.isRetainAvailable()).isFalse();
        } finally {
            disconnectQuietly(client);
        }
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            Properties p = raw.connect("restricted-raw", true, 0, null).properties();
            assertThat(p.intValue(MqttProperty.MAXIMUM_QOS, -1)).isEqualTo(1);
            assertThat(p.intValue(MqttProperty.RETAIN_AVAILABLE, -1)).isEqualTo(0);
            assertThat(p.intValue(MqttProperty.WILDCARD_SUBSCRIPTION_AVAILABLE, -1))
                    .isEqualTo(0);
            assertThat(p.intValue(MqttProperty.SHARED_SUBSCRIPTION_AVAILABLE, -1))
                    .isEqualTo(0);
            assertThat(p.intValue(MqttProperty.SUBSCRIPTION_IDENTIFIER_AVAILABLE, -1))
                    .isEqualTo(0);
            assertThat(p.has(MqttProperty.TOPIC_ALIAS_MAXIMUM)).isFalse(); // absent means 0
        }
    }

    @ParameterizedTest
    @CsvSource({
        "restricted/+,      WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED", // 0xA2, MQTT 5.0 3.2.2.3.11
        "restricted/#,      WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED",
        "$share/g/restricted/t, SHARED_SUBSCRIPTIONS_NOT_SUPPORTED" // 0x9E, MQTT 5.0 3.2.2.3.13
    })
    void aSubscribeTheConnAckRuledOutGetsDisconnect(String filter, DisconnectReasonCode expected) throws Exception {
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            raw.connect("restricted-sub-" + expected.code(), true, 0, null);
            raw.subscribe(1, filter, QoS.AT_MOST_ONCE);
            assertThat(raw.readUntilClosed(WAIT)).containsExactly(new Disconnect(expected));
        }
    }

    @Test
    void aSubscriptionIdentifierGetsDisconnect0xA1() throws Exception {
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            raw.connect("restricted-subid", true, 0, null);
            raw.send(new Subscribe(
                    1,
                    Properties.builder()
                            .add(MqttProperty.SUBSCRIPTION_IDENTIFIER, 5)
                            .build(),
                    List.of(new Subscription("restricted/t", QoS.AT_MOST_ONCE))));
            assertThat(raw.readUntilClosed(WAIT))
                    .containsExactly(new Disconnect(DisconnectReasonCode.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED));
        }
    }

    @Test
    void aTopicAliasGetsDisconnect0x94() throws Exception {
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            raw.connect("restricted-alias", true, 0, null);
            raw.send(new Publish(
                    "restricted/t",
                    QoS.AT_MOST_ONCE,
                    false,
                    false,
                    0,
                    Properties.builder().add(MqttProperty.TOPIC_ALIAS, 1).build(),
                    RawMqttClient.utf8("x")));
            assertThat(raw.readUntilClosed(WAIT))
                    .containsExactly(new Disconnect(DisconnectReasonCode.TOPIC_ALIAS_INVALID));
        }
    }

    @Test
    void v311WildcardAndSharedSubscriptionsGetSubAck0x80() throws Exception {
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V3_1_1)) {
            raw.connect("restricted-v3", true, 0, null);
            raw.send(new Subscribe(
                    1,
                    Properties.EMPTY,
                    List.of(
                            new Subscription("restricted/+", QoS.AT_MOST_ONCE),
                            new Subscription("$share/g/restricted/t", QoS.AT_MOST_ONCE),
                            new Subscription("restricted/t", QoS.AT_LEAST_ONCE))));
            assertThat(raw.expect(SubAck.class).reasonCodes())
                    .containsExactly(
                            SubAckReasonCode.UNSPECIFIED_ERROR,
                            SubAckReasonCode.UNSPECIFIED_ERROR,
                            SubAckReasonCode.GRANTED_QOS_1);
        }
    }

    @Test
    void aQos2SubscriptionIsGrantedQos1() {
        Mqtt5BlockingClient client = v5(broker.port(), "restricted-sub");
        try {
            client.connect();
            assertThat(client.subscribeWith()
                            .topicFilter("restricted/t")
                            .qos(MqttQos.EXACTLY_ONCE)
                            .send()
                            .getReasonCodes())
                    .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        } finally {
            disconnectQuietly(client);
        }
    }

    @Test
    void aQos2PublishGetsDisconnect0x9B() throws Exception {
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            ConnAck ack = raw.connect("restricted-qos2", true, 0, null);
            assertThat(ack.reasonCode().isError()).isFalse();
            raw.publish("restricted/t", QoS.EXACTLY_ONCE, 1, false, "too high");
            assertThat(raw.readUntilClosed(WAIT))
                    .containsExactly(new Disconnect(DisconnectReasonCode.QOS_NOT_SUPPORTED));
        }
    }

    @Test
    void aRetainedPublishGetsDisconnect0x9A() throws Exception {
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            raw.connect("restricted-retain", true, 0, null);
            raw.send(new Publish(
                    "restricted/t", QoS.AT_MOST_ONCE, true, false, 0, Properties.EMPTY, RawMqttClient.utf8("keep")));
            assertThat(raw.readUntilClosed(WAIT))
                    .containsExactly(new Disconnect(DisconnectReasonCode.RETAIN_NOT_SUPPORTED));
        }
    }

    @Test
    void aWillAboveMaximumQosIsRefusedWithConnAck0x9B() throws Exception {
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            Will will = new Will("restricted/will", RawMqttClient.utf8("w"), QoS.EXACTLY_ONCE, false, Properties.EMPTY);
            ConnAck ack = raw.connect(raw.connectPacket("restricted-will-qos", true, 60, Properties.EMPTY, will));
            // MQTT 5.0 3.2.2.3.4 [MQTT-3.2.2-12]: a Will QoS beyond the server's must be refused.
            assertThat(ack.reasonCode()).isEqualTo(ConnectReasonCode.QOS_NOT_SUPPORTED);
            assertThat(raw.readUntilClosed(WAIT)).isEmpty();
        }
    }

    @Test
    void aRetainedWillIsRefusedWithConnAck0x9A() throws Exception {
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            Will will = new Will("restricted/will", RawMqttClient.utf8("w"), QoS.AT_MOST_ONCE, true, Properties.EMPTY);
            ConnAck ack = raw.connect(raw.connectPacket("restricted-will-retain", true, 60, Properties.EMPTY, will));
            // MQTT 5.0 3.2.2.3.5 [MQTT-3.2.2-13]: Will Retain 1 without retain support is refused.
            assertThat(ack.reasonCode()).isEqualTo(ConnectReasonCode.RETAIN_NOT_SUPPORTED);
            assertThat(raw.readUntilClosed(WAIT)).isEmpty();
        }
    }

    @Test
    void aV311Qos2PublishClosesTheConnection() throws Exception {
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V3_1_1)) {
            raw.connect("restricted-v3", true, 0, null);
            raw.publish("restricted/t", QoS.EXACTLY_ONCE, 1, false, "too high");
            assertThat(raw.readUntilClosed(WAIT))
                    .as("3.1.1 has no DISCONNECT from the server")
                    .isEmpty();
        }
    }
}
