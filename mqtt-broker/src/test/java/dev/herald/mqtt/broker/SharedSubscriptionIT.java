package dev.herald.mqtt.broker;

import static dev.herald.mqtt.broker.TestClients.WAIT;
import static dev.herald.mqtt.broker.TestClients.awaitCount;
import static dev.herald.mqtt.broker.TestClients.bytes;
import static dev.herald.mqtt.broker.TestClients.collect;
import static dev.herald.mqtt.broker.TestClients.connectV5;
import static dev.herald.mqtt.broker.TestClients.disconnectQuietly;
import static dev.herald.mqtt.broker.TestClients.payloadsBefore;
import static dev.herald.mqtt.broker.TestClients.publish;
import static dev.herald.mqtt.broker.TestClients.subscribe;
import static dev.herald.mqtt.broker.TestClients.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.herald.mqtt.message.Disconnect;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PubAck;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.RetainHandling;
import dev.herald.mqtt.message.SubAck;
import dev.herald.mqtt.message.Subscribe;
import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.DisconnectReasonCode;
import dev.herald.mqtt.message.reason.SubAckReasonCode;
import dev.herald.mqtt.testkit.HeraldBrokerExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Shared subscriptions, {@code $share/{group}/{filter}} (MQTT 5.0 section 4.8.2): one copy per group
 * to one member, round robin by default; a member whose connection dies hands its unacknowledged QoS 1
 * messages to the others; an offline persistent member queues when nobody else can take them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class SharedSubscriptionIT {

    private static final Duration LONG_WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final HeraldBrokerExtension broker = new HeraldBrokerExtension();

    @Test
    void tenThousandQos1MessagesSurviveAMemberKilledMidRun() throws Exception {
        int total = 10_000;
        List<Mqtt5BlockingClient> living = new ArrayList<>();
        List<Queue<String>> livingReceived = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Mqtt5BlockingClient member = TestClients.v5(broker.port(), "worker-" + i);
            Queue<String> received = new ConcurrentLinkedQueue<>();
            member.toAsync().publishes(MqttGlobalPublishFilter.ALL, p -> received.add(text(p.getPayloadAsBytes())));
            member.connect();
            subscribe(member, "$share/workers/jobs/#", MqttQos.AT_LEAST_ONCE);
            living.add(member);
            livingReceived.add(received);
        }
        Queue<String> killedReceived = new ConcurrentLinkedQueue<>();
        CountDownLatch killedReady = new CountDownLatch(1);
        CompletableFuture<Void> killed = CompletableFuture.runAsync(() -> {
            // Acknowledges 300 messages, reads 50 more without acknowledging them, then drops the socket.
            try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
                raw.connect("worker-killed", true, 0, null);
                raw.subscribe(1, "$share/workers/jobs/#", QoS.AT_LEAST_ONCE);
                raw.expect(SubAck.class);
                killedReady.countDown();
                while (killedReceived.size() < 350) {
                    MqttPacket packet = raw.read(LONG_WAIT);
                    if (packet instanceof Publish p) {
                        killedReceived.add(RawMqttClient.text(p.payload()));
                        if (killedReceived.size() <= 300) {
                            raw.send(new PubAck(p.packetId()));
                        }
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(killedReady.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        Mqtt5AsyncClient publisher = connectV5(broker.port(), "jobs-publisher").toAsync();
        try {
            // In batches of 200 acknowledged before the next, so the members' windows, not a backlog
            // in their queues, decide the split (a backlog goes to whoever has room).
            for (int batch = 0; batch < total; batch += 200) {
                List<CompletableFuture<?>> acks = new ArrayList<>(200);
                for (int i = batch; i < batch + 200; i++) {
                    acks.add(publisher
                            .publishWith()
                            .topic("jobs/" + (i % 10))
                            .qos(MqttQos.AT_LEAST_ONCE)
                            .payload(bytes(Integer.toString(i)))
                            .send());
                }
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                        .get(LONG_WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            killed.get(LONG_WAIT.toSeconds(), TimeUnit.SECONDS);

            Set<String> all =
                    IntStream.range(0, total).mapToObj(Integer::toString).collect(HashSet::new, Set::add, Set::addAll);
            await().atMost(LONG_WAIT).untilAsserted(() -> {
                Set<String> seen = new HashSet<>(killedReceived);
                livingReceived.forEach(seen::addAll);
                assertThat(seen).as("every message delivered at least once").containsAll(all);
            });
            for (Queue<String> received : livingReceived) {
                assertThat(new HashSet<>(received))
                        .as("none twice to one member")
                        .hasSameSizeAs(received);
            }
            assertThat(new HashSet<>(killedReceived)).hasSameSizeAs(killedReceived);
            List<Integer> counts = livingReceived.stream().map(Queue::size).toList();
            double mean = counts.stream().mapToInt(Integer::intValue).average().orElseThrow();
            assertThat(counts).as("split among the living members").allSatisfy(c -> assertThat(Math.abs(c - mean))
                    .isLessThanOrEqualTo(mean * 0.10));

            var stats = broker.broker().metrics().sharedGroups().stream()
                    .filter(g -> g.group().equals("workers"))
                    .findFirst()
                    .orElseThrow();
            await().atMost(WAIT).until(() -> stats.members() == 3);
            assertThat(stats.redelivered())
                    .as("the unacknowledged ones went to others")
                    .isGreaterThanOrEqualTo(50);
            assertThat(stats.dropped()).isZero();
        } finally {
            publisher.disconnect();
            living.forEach(TestClients::disconnectQuietly);
        }
    }

    @Test
    void everyGroupGetsOneCopyAndPlainSubscribersTheirOwn() throws Exception {
        Mqtt5BlockingClient a1 = connectV5(broker.port(), "group-a-1");
        Mqtt5BlockingClient a2 = connectV5(broker.port(), "group-a-2");
        // 3.1.1 clients may join shared groups too, as most brokers allow.
        Mqtt3BlockingClient b1 = TestClients.connectV3(broker.port(), "group-b-1");
        Mqtt3BlockingClient b2 = TestClients.connectV3(broker.port(), "group-b-2");
        Mqtt5BlockingClient plain = connectV5(broker.port(), "group-plain");
        Mqtt5BlockingClient pub = connectV5(broker.port(), "group-pub");
        try {
            Queue<Mqtt5Publish> ra1 = collect(a1);
            Queue<Mqtt5Publish> ra2 = collect(a2);
            Queue<Object> rb = new ConcurrentLinkedQueue<>();
            Queue<Object> rb1 = new ConcurrentLinkedQueue<>();
            b1.toAsync().publishes(MqttGlobalPublishFilter.ALL, p -> {
                rb.add(p);
                rb1.add(p);
            });
            b2.toAsync().publishes(MqttGlobalPublishFilter.ALL, rb::add);
            Queue<Mqtt5Publish> rp = collect(plain);
            subscribe(a1, "$share/a/orders/+", MqttQos.AT_LEAST_ONCE);
            subscribe(a2, "$share/a/orders/+", MqttQos.AT_LEAST_ONCE);
            b1.subscribeWith()
                    .topicFilter("$share/b/orders/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            b2.subscribeWith()
                    .topicFilter("$share/b/orders/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            subscribe(plain, "orders/+", MqttQos.AT_LEAST_ONCE);

            for (int i = 0; i < 20; i++) {
                publish(pub, "orders/" + i, MqttQos.AT_LEAST_ONCE, "o" + i);
            }
            awaitCount(rp, 20);
            await().atMost(WAIT).until(() -> ra1.size() + ra2.size() == 20 && rb.size() == 20);
            // Round robin over two members with room: they alternate.
            assertThat(ra1).hasSize(10);
            assertThat(ra2).hasSize(10);
            assertThat(rb1).hasSize(10);
        } finally {
            disconnectQuietly(a1);
            disconnectQuietly(a2);
            disconnectQuietly(b1);
            disconnectQuietly(b2);
            disconnectQuietly(plain);
            disconnectQuietly(pub);
        }
    }

    @Test
    void anOfflinePersistentMemberQueuesWhenNoOneElseCanTakeTheMessages() {
        Mqtt5BlockingClient member = TestClients.v5(broker.port(), "offline-member");
        Queue<Mqtt5Publish> received = collect(member);
        Mqtt5BlockingClient pub = connectV5(broker.port(), "offline-pub");
        try {
            member.connectWith().sessionExpiryInterval(300).send();
            subscribe(member, "$share/offline/tasks/#", MqttQos.AT_LEAST_ONCE);
            member.disconnect();
            for (int i = 0; i < 3; i++) {
                publish(pub, "tasks/" + i, MqttQos.AT_LEAST_ONCE, "t" + i);
            }
            member.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
            awaitCount(received, 3);
            assertThat(received).extracting(p -> text(p.getPayloadAsBytes())).containsExactly("t0", "t1", "t2");
        } finally {
            disconnectQuietly(member);
            disconnectQuietly(pub);
        }
    }

    @Test
    void retainedMessagesAreNotSentToASharedSubscription() {
        Mqtt5BlockingClient member = TestClients.v5(broker.port(), "retained-member");
        Queue<Mqtt5Publish> received = collect(member);
        Mqtt5BlockingClient pub = connectV5(broker.port(), "retained-pub");
        try {
            pub.publishWith()
                    .topic("kept/t")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .retain(true)
                    .payload(bytes("retained"))
                    .send();
            member.connect();
            subscribe(member, "$share/kept/kept/#", MqttQos.AT_LEAST_ONCE);
            publish(pub, "kept/end", MqttQos.AT_LEAST_ONCE, "end");
            // MQTT 5.0 section 3.3.1.3: retained messages go to new non-shared subscriptions only.
            assertThat(payloadsBefore(received, "kept/end")).isEmpty();
        } finally {
            pub.publishWith().topic("kept/t").retain(true).send(); // clears it
            disconnectQuietly(member);
            disconnectQuietly(pub);
        }
    }

    @Test
    void invalidShareNamesGetSubAck0x8F() throws Exception {
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            raw.connect("bad-share", true, 0, null);
            raw.send(new Subscribe(
                    1,
                    Properties.EMPTY,
                    List.of(
                            new Subscription("$share/+/x", QoS.AT_MOST_ONCE), // '+' in the ShareName
                            new Subscription("$share/g", QoS.AT_MOST_ONCE), // no filter after it
                            new Subscription("$share/g/x", QoS.AT_MOST_ONCE))));
            assertThat(raw.expect(SubAck.class).reasonCodes())
                    .containsExactly(
                            SubAckReasonCode.TOPIC_FILTER_INVALID,
                            SubAckReasonCode.TOPIC_FILTER_INVALID,
                            SubAckReasonCode.GRANTED_QOS_0);
        }
    }

    @Test
    void noLocalOnASharedSubscriptionIsAProtocolError() throws Exception {
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            raw.connect("no-local-share", true, 0, null);
            raw.send(new Subscribe(
                    1,
                    Properties.EMPTY,
                    List.of(new Subscription(
                            "$share/g/nl", QoS.AT_MOST_ONCE, true, false, RetainHandling.SEND_ON_SUBSCRIBE))));
            // MQTT-3.8.3-4
            assertThat(raw.readUntilClosed(WAIT)).containsExactly(new Disconnect(DisconnectReasonCode.PROTOCOL_ERROR));
        }
    }
}
