package dev.herald.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import dev.herald.cluster.testkit.ClusteredBrokers;
import dev.herald.mqtt.broker.ClientView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A node that does not run the BrokerActor crashes while a client connected to it uses a session that
 * lives on another node: the BrokerActor and the session notice (the node is downed), the session
 * keeps what is published meanwhile, and the client resumes it on a third node with nothing lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class ClusterNodeLossIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aSessionWhoseConnectionsNodeCrashedIsResumedElsewhere() throws Exception {
        try (ClusteredBrokers cluster = new ClusteredBrokers(3, "").start()) {
            int brokerNode = cluster.singletonNode();
            int sessionNode = (brokerNode + 1) % 3;
            int crashingNode = (brokerNode + 2) % 3;
            List<Mqtt5BlockingClient> clients = new ArrayList<>();

            // The session starts on one node; its client then resumes it from the node that will crash.
            Set<String> received = ConcurrentHashMap.newKeySet();
            Mqtt5BlockingClient first = client(cluster, "wanderer", sessionNode, received);
            first.connectWith().cleanStart(true).sessionExpiryInterval(600).send();
            first.subscribeWith()
                    .topicFilter("news/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            first.disconnect();
            Mqtt5BlockingClient second = client(cluster, "wanderer", crashingNode, received);
            second.connectWith().cleanStart(false).sessionExpiryInterval(600).send();
            Mqtt5BlockingClient publisher = client(cluster, "reporter", brokerNode, null);
            publisher.connect();
            clients.add(publisher);
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
                publish(publisher, "news/probe", "probe");
                return received.remove("probe");
            });

            cluster.crash(crashingNode);
            // The BrokerActor learns the connection is gone once the node is downed.
            await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.broker(brokerNode)
                            .context()
                            .clients(Duration.ofSeconds(2))
                            .toCompletableFuture()
                            .get())
                    .filteredOn(view -> view.clientId().equals("wanderer"))
                    .extracting(ClientView::connected)
                    .containsExactly(false));
            for (int i = 0; i < 50; i++) {
                publish(publisher, "news/" + i, "n" + i);
            }

            Set<String> resumed = ConcurrentHashMap.newKeySet();
            Mqtt5BlockingClient third = client(cluster, "wanderer", brokerNode, resumed);
            Mqtt5ConnAck connAck = third.connectWith()
                    .cleanStart(false)
                    .sessionExpiryInterval(0)
                    .send();
            clients.add(third);

            assertThat(connAck.isSessionPresent()).isTrue();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                expected.add("n" + i);
            }
            // A probe still in flight at the crash may be resent too.
            await().atMost(WAIT).until(() -> resumed.containsAll(expected));
            resumed.remove("probe");
            assertThat(resumed).containsExactlyInAnyOrderElementsOf(expected);
            clients.forEach(Mqtt5BlockingClient::disconnect);
        }
    }

    @Test
    void aClientWhoseSessionWasOnTheCrashedNodeIsToldAndStartsAfresh() throws Exception {
        try (ClusteredBrokers cluster = new ClusteredBrokers(3, "").start()) {
            int brokerNode = cluster.singletonNode();
            int crashingNode = (brokerNode + 1) % 3;
            int connectionNode = (brokerNode + 2) % 3;
            Mqtt5BlockingClient first = client(cluster, "orphan", crashingNode, null);
            first.connectWith().cleanStart(true).sessionExpiryInterval(600).send();
            first.subscribeWith()
                    .topicFilter("orphan/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            first.disconnect();
            Queue<MqttClientDisconnectedContext> disconnects = new ConcurrentLinkedQueue<>();
            Mqtt5BlockingClient second = Mqtt5Client.builder()
                    .identifier("orphan")
                    .serverHost("127.0.0.1")
                    .serverPort(cluster.port(connectionNode))
                    .addDisconnectedListener(disconnects::add)
                    .buildBlocking();
            assertThat(second.connectWith()
                            .cleanStart(false)
                            .sessionExpiryInterval(600)
                            .send()
                            .isSessionPresent())
                    .isTrue();

            cluster.crash(crashingNode);

            await().atMost(WAIT).until(() -> !disconnects.isEmpty());
            assertThat(disconnects.peek().getCause())
                    .isInstanceOfSatisfying(Mqtt5DisconnectException.class, e -> assertThat(
                                    e.getMqttMessage().getReasonCode())
                            .isEqualTo(Mqtt5DisconnectReasonCode.UNSPECIFIED_ERROR));
            // Connecting again at once may find the server unavailable (CONNACK 0x88) while the broker
            // learns the session is gone; a client tries again, and then starts afresh.
            Mqtt5BlockingClient third = client(cluster, "orphan", connectionNode, null);
            AtomicReference<Mqtt5ConnAck> connAck = new AtomicReference<>();
            await().atMost(WAIT)
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptionsInstanceOf(Mqtt5ConnAckException.class)
                    .until(() -> {
                        connAck.set(third.connectWith()
                                .cleanStart(false)
                                .sessionExpiryInterval(0)
                                .send());
                        return true;
                    });
            assertThat(connAck.get().isSessionPresent())
                    .as("the session went with its node")
                    .isFalse();
            third.disconnect();
        }
    }

    private static Mqtt5BlockingClient client(ClusteredBrokers cluster, String id, int node, Set<String> received) {
        return NodeClients.client(cluster, id, node, received == null ? null : received::add);
    }

    private static void publish(Mqtt5BlockingClient c, String topic, String payload) {
        NodeClients.publish(c, topic, payload, MqttQos.AT_LEAST_ONCE, false);
    }
}
