package dev.herald.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.herald.cluster.testkit.ClusteredBrokers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node that runs the BrokerActor (the cluster singleton) goes away: publishing between clients of
 * the other nodes carries on meanwhile (each node routes with its last snapshot), the BrokerActor
 * starts on the oldest survivor and takes back the sessions, subscriptions and retained messages the
 * surviving nodes hold, and new subscriptions work again.
 */
@TestInstance(TestInstance.Lifecycle.PER_METHOD)
@ExtendWith(LogCapturingExtension.class)
class ClusterFailOverIT {

    private static final Logger log = LoggerFactory.getLogger(ClusterFailOverIT.class);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    @AfterEach
    void disconnectAll() {
        for (Mqtt5BlockingClient c : clients) {
            if (c.getState().isConnected()) {
                try {
                    c.disconnect();
                } catch (RuntimeException e) {
                    // its node is gone
                }
            }
        }
        clients.clear();
    }

    @Test
    void theBrokerMovesWhenItsNodeCrashesAndNothingOnTheSurvivorsIsLostOrDeliveredTwice() throws Exception {
        try (ClusteredBrokers cluster = new ClusteredBrokers(3, "").start()) {
            int dying = cluster.singletonNode();
            int subscriberNode = (dying + 1) % 3;
            int publisherNode = (dying + 2) % 3;
            failOver(cluster, dying, subscriberNode, publisherNode, MqttQos.EXACTLY_ONCE, () -> cluster.crash(dying));
        }
    }

    @Test
    void theBrokerMovesWhenItsNodeLeaves() throws Exception {
        try (ClusteredBrokers cluster = new ClusteredBrokers(3, "").start()) {
            int leaving = cluster.singletonNode();
            int subscriberNode = (leaving + 1) % 3;
            int publisherNode = (leaving + 2) % 3;
            failOver(
                    cluster,
                    leaving,
                    subscriberNode,
                    publisherNode,
                    MqttQos.AT_LEAST_ONCE,
                    () -> cluster.leave(leaving));
        }
    }

    /**
     * Messages at {@code qos} between a publisher and a subscriber on two nodes that stay, before,
     * while and after the BrokerActor's node goes ({@code stop}): none lost, none twice (QoS 1 may
     * deliver twice by the rules, but nothing here resends).
     */
    private void failOver(
            ClusteredBrokers cluster, int gone, int subscriberNode, int publisherNode, MqttQos qos, Runnable stop)
            throws Exception {
        Mqtt5BlockingClient retainer = connect(cluster, "retainer", gone, null, 0);
        publish(retainer, "state/a", "kept", true);
        Set<String> received = ConcurrentHashMap.newKeySet();
        Set<String> probes = ConcurrentHashMap.newKeySet();
        List<String> duplicates = new ArrayList<>();
        Consumer<String> count = p -> {
            if (p.equals("probe")) {
                probes.add(p);
            } else if (!received.add(p)) {
                synchronized (duplicates) {
                    duplicates.add(p);
                }
            }
        };
        Mqtt5BlockingClient subscriber = connect(cluster, "subscriber", subscriberNode, count, 300);
        subscriber.subscribeWith().topicFilter("work/#").qos(qos).send();
        Mqtt5BlockingClient publisher = connect(cluster, "publisher", publisherNode, null, 0);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            publish(publisher, "work/probe", "probe", false);
            return !probes.isEmpty();
        });

        int acknowledged = 0;
        for (; acknowledged < 200; acknowledged++) {
            NodeClients.publish(publisher, "work/" + acknowledged, "m" + acknowledged, qos, false);
        }
        long stopped = System.nanoTime();
        stop.run();
        // Publishing between the survivors carries on while the broker moves.
        for (; acknowledged < 400; acknowledged++) {
            NodeClients.publish(publisher, "work/" + acknowledged, "m" + acknowledged, qos, false);
        }
        // The moved broker answers a new subscription, with the retained message it took back.
        BlockingQueue<String> late = new LinkedBlockingQueue<>();
        Mqtt5BlockingClient newcomer = connect(cluster, "newcomer", publisherNode, late::add, 0);
        Mqtt5SubAck subAck = newcomer.subscribeWith()
                .topicFilter("state/#")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
        long movedMillis = (System.nanoTime() - stopped) / 1_000_000;
        log.info("The broker answered a SUBSCRIBE {} ms after its node went", movedMillis);
        assertThat(subAck.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        assertThat(late.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("kept");
        assertThat(movedMillis).isLessThan(15_000);

        // The subscriber's subscription is still routed, and the session counts as known to the new broker.
        for (; acknowledged < 500; acknowledged++) {
            NodeClients.publish(publisher, "work/" + acknowledged, "m" + acknowledged, qos, false);
        }
        int total = acknowledged;
        await().atMost(WAIT).until(() -> received.size() >= total);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            expected.add("m" + i);
        }
        assertThat(received).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(duplicates).isEmpty();
        assertThat(cluster.broker(subscriberNode)
                        .context()
                        .clients(Duration.ofSeconds(5))
                        .toCompletableFuture()
                        .get())
                .anySatisfy(view -> {
                    assertThat(view.clientId()).isEqualTo("subscriber");
                    assertThat(view.connected()).isTrue();
                    assertThat(view.subscriptions()).hasSize(1);
                });
    }

    private Mqtt5BlockingClient connect(
            ClusteredBrokers cluster, String id, int node, Consumer<String> received, long expiry) {
        Mqtt5BlockingClient c = NodeClients.client(cluster, id, node, received);
        c.connectWith().cleanStart(true).sessionExpiryInterval(expiry).send();
        clients.add(c);
        return c;
    }

    private static void publish(Mqtt5BlockingClient c, String topic, String payload, boolean retain) {
        NodeClients.publish(c, topic, payload, MqttQos.AT_LEAST_ONCE, retain);
    }
}
