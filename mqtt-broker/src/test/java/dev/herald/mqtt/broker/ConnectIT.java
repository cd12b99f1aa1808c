package dev.herald.mqtt.broker;

import static dev.herald.mqtt.broker.TestClients.WAIT;
import static dev.herald.mqtt.broker.TestClients.awaitCount;
import static dev.herald.mqtt.broker.TestClients.awaitServerDisconnect;
import static dev.herald.mqtt.broker.TestClients.collect;
import static dev.herald.mqtt.broker.TestClients.disconnectQuietly;
import static dev.herald.mqtt.broker.TestClients.publish;
import static dev.herald.mqtt.broker.TestClients.subscribe;
import static dev.herald.mqtt.broker.TestClients.v5;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckRestrictions;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.herald.mqtt.message.ConnAck;
import dev.herald.mqtt.message.Disconnect;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PingReq;
import dev.herald.mqtt.message.PingResp;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.ConnectReasonCode;
import dev.herald.mqtt.message.reason.DisconnectReasonCode;
import dev.herald.mqtt.testkit.HeraldBrokerExtension;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CONNECT and CONNACK (MQTT 5.0 sections 3.1, 3.2 and 3.1.4; 3.1.1 section 3.1): session takeover,
 * keep alive, client identifiers, and CONNACK properties that tell the truth about the broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class ConnectIT {

    private static final int MAX_PACKET_SIZE = 65_536;

    @RegisterExtension
    static final HeraldBrokerExtension broker =
            new HeraldBrokerExtension("herald.mqtt { max-keep-alive = 30, max-packet-size = " + MAX_PACKET_SIZE + " }");

    @Test
    void aSecondConnectionWithTheSameIdTakesOverAndTheFirstGets0x8E() {
        Queue<MqttClientDisconnectedContext> disconnects = new ConcurrentLinkedQueue<>();
        Mqtt5BlockingClient first = Mqtt5Client.builder()
                .identifier("takeover")
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .addDisconnectedListener(disconnects::add)
                .buildBlocking();
        Mqtt5BlockingClient second = v5(broker.port(), "takeover");
        try {
            first.connect();
            second.connect();

            awaitServerDisconnect(disconnects, Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER);
            assertThat(first.getState().isConnected()).isFalse();

            Queue<Mqtt5Publish> received = collect(second);
            subscribe(second, "takeover/t", MqttQos.AT_LEAST_ONCE);
            publish(second, "takeover/t", MqttQos.AT_LEAST_ONCE, "the new one works");
            awaitCount(received, 1);
        } finally {
            disconnectQuietly(second);
        }
    }

    @ParameterizedTest(name = "Keep Alive {0} gets Server Keep Alive {1} (-1: none)")
    @CsvSource({"60, 30", "0, 30", "10, -1", "30, -1"})
    void serverKeepAliveCapsTheClientsKeepAlive(int requested, int granted) {
        Mqtt5BlockingClient client = v5(broker.port(), "keepalive-" + requested);
        try {
            Mqtt5ConnAck ack = client.connectWith().keepAlive(requested).send();
            // herald.mqtt.max-keep-alive = 30; 0 (no keep alive) counts as more than the maximum.
            assertThat(ack.getServerKeepAlive().orElse(-1)).isEqualTo(granted);
        } finally {
            disconnectQuietly(client);
        }
    }

    @Test
    void pingsKeepAnIdleConnectionOpenPastOneAndAHalfKeepAlives() throws Exception {
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            raw.connect(raw.connectPacket("pinger", true, 1, Properties.EMPTY, null));
            // PINGREQ every 400 ms for 3 s: twice the 1.5 s limit, and the broker answers each.
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(6))
                    .pollInterval(Duration.ofMillis(400))
                    .until(() -> {
                        raw.send(PingReq.INSTANCE);
                        return raw.read() instanceof PingResp;
                    });
            raw.send(Disconnect.NORMAL);
            assertThat(raw.readUntilClosed(WAIT)).isEmpty();
        }
    }

    @Test
    void aV311ClientThatPingsOnItsOwnStaysConnected() {
        Queue<MqttClientDisconnectedContext> disconnects = new ConcurrentLinkedQueue<>();
        Mqtt3BlockingClient client = Mqtt3Client.builder()
                .identifier("pinger-v3")
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .addDisconnectedListener(disconnects::add)
                .buildBlocking();
        try {
            // The HiveMQ client sends PINGREQ after a Keep Alive of silence; at 1 s that leaves only
            // 0.5 s before the 1.5 s limit on a loaded machine, so 2 s here, watched past its 3 s limit.
            client.connectWith().keepAlive(2).send();
            await().during(Duration.ofSeconds(4))
                    .atMost(Duration.ofSeconds(6))
                    .until(() -> disconnects.isEmpty() && client.getState().isConnected());
        } finally {
            disconnectQuietly(client);
        }
    }

    @Test
    void anEmptyClientIdGetsAnAssignedClientIdentifierInV5() {
        Mqtt5BlockingClient client = Mqtt5Client.builder()
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .buildBlocking(); // no identifier: CONNECT carries an empty one
        try {
            Mqtt5ConnAck ack = client.connect();
            assertThat(ack.getAssignedClientIdentifier()).isPresent();
            assertThat(ack.getAssignedClientIdentifier().get().toString()).isNotEmpty();
        } finally {
            disconnectQuietly(client);
        }
    }

    @Test
    void anEmptyClientIdWithCleanSessionWorksInV311() throws Exception {
        Mqtt3BlockingClient client = Mqtt3Client.builder()
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .buildBlocking();
        try (Mqtt3BlockingClient.Mqtt3Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
            assertThat(client.connectWith().cleanSession(true).send().isSessionPresent())
                    .isFalse();
            client.subscribeWith()
                    .topicFilter("anonymous/t")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            client.publishWith().topic("anonymous/t").qos(MqttQos.AT_LEAST_ONCE).send();
            assertThat(publishes.receive(WAIT.toSeconds(), TimeUnit.SECONDS)).isPresent();
        } finally {
            disconnectQuietly(client);
        }
    }

    @Test
    void anEmptyClientIdWithoutCleanSessionIsRejectedInV311With0x02() throws Exception {
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V3_1_1)) {
            ConnAck ack = raw.connect(raw.connectPacket("", false, 60, Properties.EMPTY, null));
            // 3.1.1 section 3.1.3.1 [MQTT-3.1.3-8]: CONNACK return code 0x02, then close.
            assertThat(ack.reasonCode()).isEqualTo(ConnectReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
            assertThat(raw.lastFrame()).containsExactly(0x20, 0x02, 0x00, 0x02);
            assertThat(raw.readUntilClosed(WAIT)).isEmpty();
        }
    }

    @Test
    void connAckPropertiesTellTheTruth() {
        Mqtt5BlockingClient client = v5(broker.port(), "connack-props");
        try {
            Mqtt5ConnAckRestrictions r = client.connect().getRestrictions();
            assertThat(r.getMaximumPacketSize()).isEqualTo(MAX_PACKET_SIZE);
            assertThat(r.isSharedSubscriptionAvailable()).isTrue();
            assertThat(r.isWildcardSubscriptionAvailable()).isTrue();
            assertThat(r.areSubscriptionIdentifiersAvailable()).isTrue();
            assertThat(r.getMaximumQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
            assertThat(r.isRetainAvailable()).isTrue();
            assertThat(r.getReceiveMaximum()).isEqualTo(1024);
            assertThat(r.getTopicAliasMaximum()).isEqualTo(64);
        } finally {
            disconnectQuietly(client);
        }
    }

    @Test
    void aPacketOverTheMaximumPacketSizeGetsDisconnect0x95() throws Exception {
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            raw.connect("too-large", true, 0, null);
            raw.send(new Publish(
                    "big",
                    QoS.AT_MOST_ONCE,
                    false,
                    false,
                    0,
                    Properties.EMPTY,
                    ByteString.fromArray(new byte[MAX_PACKET_SIZE])));
            assertThat(raw.readUntilClosed(WAIT))
                    .containsExactly(new Disconnect(DisconnectReasonCode.PACKET_TOO_LARGE));
        }
    }
}
