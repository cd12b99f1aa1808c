package dev.herald.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import dev.herald.cluster.testkit.ClusteredBrokers;
import dev.herald.mqtt.broker.ClientView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three embedded brokers clustered in one JVM behave as one MQTT broker: a client may connect to any
 * node and its messages, session, retained messages and shared subscriptions reach across nodes.
 * Every message is serialized ({@code serialize-messages = on}), so the protocol is checked as it
 * crosses nodes; only the node-local ones (a socket's stream, a connection's supervisor) are exempt.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class ClusteredBrokerIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final ClusteredBrokers cluster = new ClusteredBrokers(3, "pekko.actor.serialize-messages = on");

    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    @AfterEach
    void disconnectAll() {
        for (Mqtt5BlockingClient c : clients) {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        }
        clients.clear();
    }

    @Test
    void publishesReachSubscribersOnOtherNodes() throws Exception {
        Received received = new Received();
        Mqtt5BlockingClient subscriber = connect("x-sub", 1, received);
        subscriber.subscribeWith().topicFilter("x/#").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient fromZero = connect("x-pub0", 0, null);
        Mqtt5BlockingClient fromTwo = connect("x-pub2", 2, null);
        awaitRouted(fromZero, "x/probe0", received);
        awaitRouted(fromTwo, "x/probe2", received);

        for (int i = 0; i < 100; i++) {
            publish(i % 2 == 0 ? fromZero : fromTwo, "x/" + i, "m" + i, MqttQos.AT_LEAST_ONCE, false);
        }

        assertThat(received.take(100)).hasSize(100).doesNotHaveDuplicates();
    }

    @Test
    void aSubscriptionRoutesOnItsOwnNodeOnceItsSubAckArrives() throws Exception {
        for (int node = 0; node < cluster.size(); node++) {
            Received received = new Received();
            Mqtt5BlockingClient subscriber = connect("own-sub" + node, node, received);
            Mqtt5BlockingClient publisher = connect("own-pub" + node, node, null);
            subscriber
                    .subscribeWith()
                    .topicFilter("own/" + node)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();

            publish(publisher, "own/" + node, "first", MqttQos.AT_LEAST_ONCE, false); // no probe first

            assertThat(received.take(1)).containsExactly("first");
        }
        // The broker's view of every session names the node it lives on (admin HTTP's /clients).
        List<ClientView> views =
                cluster.broker(0).context().clients(WAIT).toCompletableFuture().get();
        for (int node = 0; node < cluster.size(); node++) {
            String id = "own-sub" + node;
            assertThat(views)
                    .filteredOn(view -> view.clientId().equals(id))
                    .extracting(ClientView::node)
                    .containsExactly(cluster.address(node).toString());
        }
    }

    @Test
    void aSessionResumesOnAnotherNodeWithWhatWasQueuedForIt() throws Exception {
        Received first = new Received();
        Mqtt5BlockingClient before = connect("resume", 0, first, false, 300);
        before.subscribeWith()
                .topicFilter("resume/#")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
        Mqtt5BlockingClient publisher = connect("resume-pub", 2, null);
        awaitRouted(publisher, "resume/probe", first);
        before.disconnect();

        for (int i = 0; i < 20; i++) {
            publish(publisher, "resume/" + i, "q" + i, MqttQos.AT_LEAST_ONCE, false);
        }
        Received after = new Received();
        Mqtt5BlockingClient resumed = client("resume", 1, after);
        Mqtt5ConnAck connAck = resumed.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(300)
                .send();

        assertThat(connAck.isSessionPresent()).isTrue();
        assertThat(after.take(20)).containsExactlyElementsOf(numbered("q", 20));
        resumed.disconnectWith().sessionExpiryInterval(0).send();
    }

    @Test
    void aConnectOnAnotherNodeTakesTheSessionOver() {
        Queue<MqttClientDisconnectedContext> disconnects = new ConcurrentLinkedQueue<>();
        Mqtt5BlockingClient first = Mqtt5Client.builder()
                .identifier("takeover")
                .serverHost("127.0.0.1")
                .serverPort(cluster.port(0))
                .addDisconnectedListener(disconnects::add)
                .buildBlocking();
        first.connect();
        clients.add(first);

        connect("takeover", 2, null);

        await().atMost(WAIT).until(() -> !disconnects.isEmpty());
        assertThat(disconnects.peek().getCause())
                .isInstanceOfSatisfying(Mqtt5DisconnectException.class, e -> assertThat(
                                e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER));
    }

    @Test
    void retainedMessagesReachSubscribersOnEveryNode() throws Exception {
        Mqtt5BlockingClient publisher = connect("retain-pub", 0, null);
        publish(publisher, "retained/a", "kept", MqttQos.AT_LEAST_ONCE, true);

        for (int node = 0; node < cluster.size(); node++) {
            Received received = new Received();
            Mqtt5BlockingClient subscriber = connect("retain-sub" + node, node, received);
            subscriber.subscribeWith().topicFilter("retained/#").send();
            assertThat(received.take(1)).containsExactly("kept");
        }
        publish(publisher, "retained/a", "", MqttQos.AT_LEAST_ONCE, true); // cleared for other tests
    }

    @Test
    void sharedSubscriptionMembersOnDifferentNodesSplitTheMessages() throws Exception {
        Map<String, Integer> perMember = new HashMap<>();
        List<Received> members = new ArrayList<>();
        for (int node = 1; node <= 2; node++) {
            Received r = new Received();
            members.add(r);
            Mqtt5BlockingClient member = connect("member" + node, node, r);
            member.subscribeWith()
                    .topicFilter("$share/g/jobs/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
        }
        Mqtt5BlockingClient publisher = connect("jobs-pub", 0, null);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            publish(publisher, "jobs/probe", "probe", MqttQos.AT_MOST_ONCE, false);
            assertThat(members.get(0).probes() > 0 && members.get(1).probes() > 0)
                    .as("both members are in node 0's snapshot")
                    .isTrue();
        });
        for (Received r : members) {
            r.clear();
        }

        for (int i = 0; i < 200; i++) {
            publish(publisher, "jobs/" + i, "j" + i, MqttQos.AT_LEAST_ONCE, false);
        }

        await().atMost(WAIT).until(() -> members.get(0).count() + members.get(1).count() >= 200);
        List<String> got = new ArrayList<>();
        for (Received r : members) {
            List<String> mine = r.drain();
            perMember.put("member" + (members.indexOf(r) + 1), mine.size());
            got.addAll(mine);
        }
        assertThat(got).hasSize(200).doesNotHaveDuplicates().containsAll(numbered("j", 200));
        assertThat(perMember.values()).allSatisfy(n -> assertThat(n).isBetween(60, 140));
    }

    // --- helpers ---

    private Mqtt5BlockingClient connect(String id, int node, Received received) {
        return connect(id, node, received, true, 0);
    }

    private Mqtt5BlockingClient connect(String id, int node, Received received, boolean cleanStart, long expiry) {
        Mqtt5BlockingClient c = client(id, node, received);
        c.connectWith().cleanStart(cleanStart).sessionExpiryInterval(expiry).send();
        return c;
    }

    private Mqtt5BlockingClient client(String id, int node, Received received) {
        Mqtt5BlockingClient c = NodeClients.client(cluster, id, node, received == null ? null : received::add);
        clients.add(c);
        return c;
    }

    private static void publish(Mqtt5BlockingClient c, String topic, String payload, MqttQos qos, boolean retain) {
        NodeClients.publish(c, topic, payload, qos, retain);
    }

    /**
     * Publishes a probe until the subscriber gets it: the publisher's node has the subscription in its
     * routing snapshot (each node gets the BrokerActor's changes a moment after the SUBACK's node).
     */
    private static void awaitRouted(Mqtt5BlockingClient publisher, String topic, Received received) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            publish(publisher, topic, "probe", MqttQos.AT_MOST_ONCE, false);
            return received.removeProbes() > 0;
        });
    }

    private static List<String> numbered(String prefix, int n) {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(prefix + i);
        }
        return all;
    }

    /** The payloads a client received, as text. */
    private static final class Received {
        private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

        void add(String payload) {
            queue.add(payload);
        }

        int count() {
            return (int) queue.stream().filter(s -> !s.equals("probe")).count();
        }

        long probes() {
            return queue.stream().filter("probe"::equals).count();
        }

        int removeProbes() {
            int before = queue.size();
            queue.removeIf("probe"::equals);
            return before - queue.size();
        }

        void clear() {
            queue.clear();
        }

        List<String> drain() {
            List<String> out = new ArrayList<>();
            queue.drainTo(out);
            out.removeIf("probe"::equals);
            return out;
        }

        /** The next {@code n} payloads that are not probes, waiting at most {@link #WAIT} in all. */
        List<String> take(int n) throws InterruptedException {
            List<String> out = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (out.size() < n) {
                String s = queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (s == null) {
                    break;
                }
                if (!s.equals("probe")) {
                    out.add(s);
                }
            }
            return out;
        }
    }
}
