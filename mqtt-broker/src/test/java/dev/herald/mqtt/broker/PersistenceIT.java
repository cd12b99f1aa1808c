package dev.herald.mqtt.broker;

import static dev.herald.mqtt.broker.TestClients.WAIT;
import static dev.herald.mqtt.broker.TestClients.awaitCount;
import static dev.herald.mqtt.broker.TestClients.collect;
import static dev.herald.mqtt.broker.TestClients.connectV5;
import static dev.herald.mqtt.broker.TestClients.disconnectQuietly;
import static dev.herald.mqtt.broker.TestClients.publish;
import static dev.herald.mqtt.broker.TestClients.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PubAck;
import dev.herald.mqtt.message.PubComp;
import dev.herald.mqtt.message.PubRec;
import dev.herald.mqtt.message.PubRel;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.SubAck;
import dev.herald.mqtt.message.Will;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * With persistence on, what the broker promised survives a clean stop and start through the embedded
 * API: retained messages, persistent sessions with their subscriptions, QoS 1/2 messages queued while
 * the client was offline, in-flight flows in both directions, and Wills waiting for their delay.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class PersistenceIT {

    static Config persistent(Path dir, String durability) {
        return ConfigFactory.parseString("herald.mqtt { bind = \"127.0.0.1\", port = 0, sys.interval = 0 }")
                .withValue("herald.mqtt.persistence.enabled", ConfigValueFactory.fromAnyRef(true))
                .withValue("herald.mqtt.persistence.directory", ConfigValueFactory.fromAnyRef(dir.toString()))
                .withValue("herald.mqtt.persistence.durability", ConfigValueFactory.fromAnyRef(durability))
                .withFallback(ConfigFactory.load());
    }

    static EmbeddedBroker start(Path dir) {
        return EmbeddedBroker.start(persistent(dir, "sync"));
    }

    static Mqtt5BlockingClient persistentClient(int port, String id) {
        Mqtt5BlockingClient c = Mqtt5Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
        c.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
        return c;
    }

    @Test
    void retainedMessagesSurviveARestartWithWhatIsLeftOfTheirExpiry(@TempDir Path dir) {
        try (EmbeddedBroker broker = start(dir)) {
            Mqtt5BlockingClient pub = connectV5(broker.port(), "ret-pub");
            pub.publishWith()
                    .topic("keep/a")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .retain(true)
                    .payload("a".getBytes())
                    .send();
            pub.publishWith()
                    .topic("keep/b")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .retain(true)
                    .messageExpiryInterval(3600)
                    .payload("b".getBytes())
                    .send();
            pub.publishWith()
                    .topic("keep/c")
                    .retain(true)
                    .payload("c".getBytes())
                    .send();
            // An empty retained message clears the topic, on disk too.
            pub.publishWith()
                    .topic("keep/c")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .retain(true)
                    .send();
            disconnectQuietly(pub);
            assertThat(broker.metrics().retainedMessages()).isEqualTo(2);
            assertThat(broker.metrics().store().commits()).isPositive();
            assertThat(broker.metrics().store().changes()).isGreaterThanOrEqualTo(3);
            assertThat(broker.metrics().store().failures()).isZero();
        }
        try (EmbeddedBroker broker = start(dir)) {
            assertThat(broker.metrics().retainedMessages()).isEqualTo(2);
            Mqtt5BlockingClient sub = TestClients.v5(broker.port(), "ret-sub");
            Queue<Mqtt5Publish> received = collect(sub);
            sub.connect();
            TestClients.subscribe(sub, "keep/#", MqttQos.AT_LEAST_ONCE);
            awaitCount(received, 2);
            assertThat(received).extracting(p -> p.getTopic().toString()).containsExactlyInAnyOrder("keep/a", "keep/b");
            Mqtt5Publish b = received.stream()
                    .filter(p -> p.getTopic().toString().equals("keep/b"))
                    .findFirst()
                    .orElseThrow();
            assertThat(b.isRetain()).isTrue();
            assertThat(b.getMessageExpiryInterval().orElseThrow()).isBetween(3500L, 3600L);
            disconnectQuietly(sub);
        }
    }

    @Test
    void aRetainedMessageThatExpiredWhileTheBrokerWasDownIsRemoved(@TempDir Path dir) {
        long stoppedAt;
        try (EmbeddedBroker broker = start(dir)) {
            Mqtt5BlockingClient pub = connectV5(broker.port(), "short-ret");
            pub.publishWith()
                    .topic("short/ret")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .retain(true)
                    .messageExpiryInterval(1)
                    .payload("soon gone".getBytes())
                    .send();
            disconnectQuietly(pub);
            stoppedAt = System.currentTimeMillis();
        }
        await().atMost(WAIT).until(() -> System.currentTimeMillis() - stoppedAt > 1_200);
        try (EmbeddedBroker broker = start(dir)) {
            assertThat(broker.metrics().retainedMessages()).isZero();
            assertThat(broker.metrics().droppedExpired()).isEqualTo(1);
        }
        try (EmbeddedBroker broker = start(dir)) {
            assertThat(broker.metrics().droppedExpired()).isZero(); // removed from the store, not skipped again
        }
    }

    @Test
    void aPersistentSessionKeepsItsSubscriptionsAndWhatWasQueuedWhileOffline(@TempDir Path dir) {
        try (EmbeddedBroker broker = start(dir)) {
            Mqtt5BlockingClient sub = persistentClient(broker.port(), "offline-sub");
            TestClients.subscribe(sub, "offline/#", MqttQos.EXACTLY_ONCE);
            sub.disconnect();
            Mqtt5BlockingClient pub = connectV5(broker.port(), "offline-pub");
            for (int i = 0; i < 20; i++) {
                publish(
                        pub,
                        "offline/" + (i % 2 == 0 ? "one" : "two"),
                        i % 2 == 0 ? MqttQos.AT_LEAST_ONCE : MqttQos.EXACTLY_ONCE,
                        "m" + i);
            }
            publish(pub, "offline/zero", MqttQos.AT_MOST_ONCE, "not kept");
            disconnectQuietly(pub);
        }
        try (EmbeddedBroker broker = start(dir)) {
            assertThat(broker.metrics().sessions()).isEqualTo(1);
            Mqtt5BlockingClient sub = Mqtt5Client.builder()
                    .identifier("offline-sub")
                    .serverHost("127.0.0.1")
                    .serverPort(broker.port())
                    .buildBlocking();
            Queue<Mqtt5Publish> received = collect(sub);
            boolean present = sub.connectWith()
                    .cleanStart(false)
                    .sessionExpiryInterval(3600)
                    .send()
                    .isSessionPresent();
            assertThat(present).isTrue();
            awaitCount(received, 20);
            assertThat(received)
                    .extracting(p -> text(p.getPayloadAsBytes()))
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20)
                            .mapToObj(i -> "m" + i)
                            .toList());
            // The subscription itself survived: a new message arrives too.
            Mqtt5BlockingClient pub = connectV5(broker.port(), "offline-pub2");
            publish(pub, "offline/after", MqttQos.AT_LEAST_ONCE, "after");
            awaitCount(received, 21);
            disconnectQuietly(pub);
            disconnectQuietly(sub);
        }
    }

    @Test
    void inFlightFlowsResumeAfterARestartWithoutADuplicate(@TempDir Path dir) throws Exception {
        int releasedId;
        int unackedId;
        try (EmbeddedBroker broker = start(dir)) {
            try (RawMqttClient sub = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
                sub.connect("flow-sub", true, 3600, null);
                sub.subscribe(1, "flow/out", QoS.EXACTLY_ONCE);
                sub.expect(SubAck.class);
                Mqtt5BlockingClient pub = connectV5(broker.port(), "flow-pub");
                publish(pub, "flow/out", MqttQos.EXACTLY_ONCE, "two");
                publish(pub, "flow/out", MqttQos.AT_LEAST_ONCE, "one");
                disconnectQuietly(pub);
                Publish two = sub.expect(Publish.class);
                Publish one = sub.expect(Publish.class);
                sub.send(new PubRec(two.packetId()));
                assertThat(sub.expect(PubRel.class).packetId()).isEqualTo(two.packetId());
                releasedId = two.packetId();
                unackedId = one.packetId();
            }
            // Incoming QoS 2: received and answered with PUBREC, not yet released.
            try (RawMqttClient pub = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
                pub.connect("flow-in", true, 3600, null);
                pub.send(new Publish(
                        "flow/in", QoS.EXACTLY_ONCE, false, false, 7, Properties.EMPTY, RawMqttClient.utf8("once")));
                assertThat(pub.expect(PubRec.class).packetId()).isEqualTo(7);
            }
        }
        try (EmbeddedBroker broker = start(dir)) {
            Mqtt5BlockingClient watcher = TestClients.v5(broker.port(), "flow-watch");
            Queue<Mqtt5Publish> seen = collect(watcher);
            watcher.connect();
            TestClients.subscribe(watcher, "flow/in", MqttQos.AT_LEAST_ONCE);
            try (RawMqttClient sub = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
                assertThat(sub.connect("flow-sub", false, 3600, null).sessionPresent())
                        .isTrue();
                // MQTT 5.0 section 4.4: PUBREL for the released QoS 2 message, the QoS 1 PUBLISH again with DUP.
                assertThat(sub.expect(PubRel.class).packetId()).isEqualTo(releasedId);
                Publish again = sub.expect(Publish.class);
                assertThat(again.packetId()).isEqualTo(unackedId);
                assertThat(again.dup()).isTrue();
                assertThat(RawMqttClient.text(again.payload())).isEqualTo("one");
                sub.send(new PubComp(releasedId));
                sub.send(new PubAck(unackedId));
            }
            try (RawMqttClient pub = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
                assertThat(pub.connect("flow-in", false, 3600, null).sessionPresent())
                        .isTrue();
                // The resend of a QoS 2 PUBLISH received before the restart is not routed again (4.3.3).
                pub.send(new Publish(
                        "flow/in", QoS.EXACTLY_ONCE, false, true, 7, Properties.EMPTY, RawMqttClient.utf8("once")));
                assertThat(pub.expect(PubRec.class).packetId()).isEqualTo(7);
                pub.send(new PubRel(7));
                assertThat(pub.expect(PubComp.class).packetId()).isEqualTo(7);
                pub.send(new Publish(
                        "flow/in",
                        QoS.AT_LEAST_ONCE,
                        false,
                        false,
                        8,
                        Properties.EMPTY,
                        RawMqttClient.utf8("sentinel")));
                pub.expect(PubAck.class);
            }
            await().atMost(WAIT).until(() -> seen.stream()
                    .anyMatch(p -> text(p.getPayloadAsBytes()).equals("sentinel")));
            assertThat(seen).extracting(p -> text(p.getPayloadAsBytes())).containsExactly("sentinel");
            disconnectQuietly(watcher);
        }
    }

    @Test
    void aWillWaitingForItsDelayIsPublishedAfterTheRestart(@TempDir Path dir) throws Exception {
        try (EmbeddedBroker broker = start(dir)) {
            try (RawMqttClient dying = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
                Will will = new Will(
                        "wills/dying",
                        RawMqttClient.utf8("gone"),
                        QoS.AT_LEAST_ONCE,
                        false,
                        Properties.builder()
                                .add(MqttProperty.WILL_DELAY_INTERVAL, 2L)
                                .build());
                dying.connect("dying", true, 3600, will);
            } // the socket closes without DISCONNECT: the Will waits for its 2 s delay
            TestClients.awaitConnections(broker, 0);
        }
        try (EmbeddedBroker broker = start(dir)) {
            Mqtt5BlockingClient watcher = TestClients.v5(broker.port(), "will-watch");
            Queue<Mqtt5Publish> seen = collect(watcher);
            watcher.connect();
            TestClients.subscribe(watcher, "wills/#", MqttQos.AT_LEAST_ONCE);
            await().atMost(WAIT).until(() -> !seen.isEmpty());
            assertThat(text(seen.peek().getPayloadAsBytes())).isEqualTo("gone");
            disconnectQuietly(watcher);
        }
    }

    @Test
    void aSessionThatExpiredWhileTheBrokerWasDownIsGoneAndCleanStartDiscardsAKeptOne(@TempDir Path dir) {
        long stoppedAt;
        try (EmbeddedBroker broker = start(dir)) {
            Mqtt5BlockingClient shortLived = Mqtt5Client.builder()
                    .identifier("short")
                    .serverHost("127.0.0.1")
                    .serverPort(broker.port())
                    .buildBlocking();
            shortLived.connectWith().cleanStart(false).sessionExpiryInterval(1).send();
            TestClients.subscribe(shortLived, "short/#", MqttQos.AT_LEAST_ONCE);
            shortLived.disconnect();
            Mqtt5BlockingClient kept = persistentClient(broker.port(), "kept");
            TestClients.subscribe(kept, "kept/#", MqttQos.AT_LEAST_ONCE);
            kept.disconnect();
            stoppedAt = System.currentTimeMillis();
        }
        await().atMost(WAIT).until(() -> System.currentTimeMillis() - stoppedAt > 1_200);
        try (EmbeddedBroker broker = start(dir)) {
            assertThat(broker.metrics().sessions()).isEqualTo(1);
            assertThat(broker.metrics().subscriptions()).isEqualTo(1);
            Mqtt5BlockingClient kept = Mqtt5Client.builder()
                    .identifier("kept")
                    .serverHost("127.0.0.1")
                    .serverPort(broker.port())
                    .buildBlocking();
            assertThat(kept.connectWith().cleanStart(true).send().isSessionPresent())
                    .isFalse();
            disconnectQuietly(kept);
        }
        try (EmbeddedBroker broker = start(dir)) {
            assertThat(broker.metrics().sessions()).isZero();
            assertThat(broker.metrics().subscriptions()).isZero();
        }
    }

    @Test
    void batchedDurabilityKeepsStateAcrossACleanStopToo(@TempDir Path dir) {
        try (EmbeddedBroker broker = EmbeddedBroker.start(persistent(dir, "batched"))) {
            Mqtt5BlockingClient sub = persistentClient(broker.port(), "batched-sub");
            TestClients.subscribe(sub, "batched/#", MqttQos.AT_LEAST_ONCE);
            sub.disconnect();
            Mqtt5BlockingClient pub = connectV5(broker.port(), "batched-pub");
            for (int i = 0; i < 50; i++) {
                publish(pub, "batched/x", MqttQos.AT_LEAST_ONCE, "b" + i);
            }
            disconnectQuietly(pub);
        }
        try (EmbeddedBroker broker = EmbeddedBroker.start(persistent(dir, "batched"))) {
            Mqtt5BlockingClient sub = Mqtt5Client.builder()
                    .identifier("batched-sub")
                    .serverHost("127.0.0.1")
                    .serverPort(broker.port())
                    .buildBlocking();
            Queue<Mqtt5Publish> received = collect(sub);
            sub.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
            awaitCount(received, 50);
            assertThat(received)
                    .extracting(p -> text(p.getPayloadAsBytes()))
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50)
                            .mapToObj(i -> "b" + i)
                            .toList());
            disconnectQuietly(sub);
        }
    }

    static List<String> texts(Queue<Mqtt5Publish> received) {
        return received.stream().map(p -> text(p.getPayloadAsBytes())).toList();
    }
}
