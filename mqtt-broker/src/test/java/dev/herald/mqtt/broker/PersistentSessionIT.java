package dev.herald.mqtt.broker;

import static dev.herald.mqtt.broker.TestClients.WAIT;
import static dev.herald.mqtt.broker.TestClients.awaitCount;
import static dev.herald.mqtt.broker.TestClients.awaitOffline;
import static dev.herald.mqtt.broker.TestClients.bytes;
import static dev.herald.mqtt.broker.TestClients.closeQuietly;
import static dev.herald.mqtt.broker.TestClients.collect;
import static dev.herald.mqtt.broker.TestClients.connectV3;
import static dev.herald.mqtt.broker.TestClients.connectV5;
import static dev.herald.mqtt.broker.TestClients.disconnectQuietly;
import static dev.herald.mqtt.broker.TestClients.payloadsBefore;
import static dev.herald.mqtt.broker.TestClients.publish;
import static dev.herald.mqtt.broker.TestClients.subscribe;
import static dev.herald.mqtt.broker.TestClients.text;
import static dev.herald.mqtt.broker.TestClients.v5;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.herald.mqtt.testkit.HeraldBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.assertj.core.api.SoftAssertions;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sessions that outlive their connection: what is queued while the client is away, Session Present,
 * and the end of a session by Clean Start or by its expiry (MQTT 5.0 sections 3.1.2.4, 3.1.2.11.2,
 * 4.1; 3.1.1 section 3.1.2.4). Each reconnect uses a new client object, so a client library cannot
 * hide a lost session by subscribing again on its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class PersistentSessionIT {

    @RegisterExtension
    static final HeraldBrokerExtension broker = new HeraldBrokerExtension();

    @Test
    void v5MessagesPublishedWhileOfflineArriveExactlyOnceOnResume() {
        String id = "ps-v5-sub";
        Mqtt5BlockingClient first = v5(broker.port(), id);
        Mqtt5ConnAck ack =
                first.connectWith().cleanStart(true).sessionExpiryInterval(60).send();
        assertThat(ack.isSessionPresent()).isFalse();
        subscribe(first, "ps/v5/#", MqttQos.EXACTLY_ONCE);
        first.disconnect();

        Mqtt5BlockingClient pub = connectV5(broker.port(), "ps-v5-pub");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            publish(pub, "ps/v5/q1", MqttQos.AT_LEAST_ONCE, "q1-" + i);
            publish(pub, "ps/v5/q2", MqttQos.EXACTLY_ONCE, "q2-" + i);
            expected.add("q1-" + i);
            expected.add("q2-" + i);
        }

        Mqtt5BlockingClient second = v5(broker.port(), id);
        Queue<Mqtt5Publish> received = collect(second); // before CONNECT: the queue arrives right after CONNACK
        try {
            ack = second.connectWith()
                    .cleanStart(false)
                    .sessionExpiryInterval(60)
                    .send();
            assertThat(ack.isSessionPresent()).isTrue();
            awaitCount(received, expected.size());
            publish(pub, "ps/v5/end", MqttQos.EXACTLY_ONCE, "end");

            List<String> payloads = payloadsBefore(received, "ps/v5/end");
            assertThat(payloads).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(payloads.stream().filter(p -> p.startsWith("q1")))
                    .containsExactlyElementsOf(
                            expected.stream().filter(p -> p.startsWith("q1")).toList());
            assertThat(payloads.stream().filter(p -> p.startsWith("q2")))
                    .containsExactlyElementsOf(
                            expected.stream().filter(p -> p.startsWith("q2")).toList());
            for (Mqtt5Publish p : received) {
                String topic = p.getTopic().toString();
                MqttQos qos = topic.endsWith("q1") ? MqttQos.AT_LEAST_ONCE : MqttQos.EXACTLY_ONCE;
                assertThat(p.getQos()).as(topic).isEqualTo(qos);
            }
        } finally {
            disconnectQuietly(second);
        }

        Mqtt5BlockingClient third = v5(broker.port(), id);
        try {
            ack = third.connectWith().cleanStart(true).sessionExpiryInterval(60).send();
            assertThat(ack.isSessionPresent())
                    .as("Clean Start discards the session")
                    .isFalse();
        } finally {
            disconnectQuietly(third);
            disconnectQuietly(pub);
        }
    }

    /** Collects what a Paho 3.1.1 client receives through its callback. */
    static final class PahoV3Inbox implements MqttCallback {
        final Queue<String> payloads = new ConcurrentLinkedQueue<>();
        final Queue<Integer> qos = new ConcurrentLinkedQueue<>();

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            qos.add(message.getQos());
            payloads.add(text(message.getPayload()));
        }

        @Override
        public void connectionLost(Throwable cause) {}

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {}
    }

    @Test
    void v311CleanSessionFalseKeepsQueuedMessagesAndSessionPresent() throws Exception {
        String id = "ps-v3-sub";
        MqttClient first = TestClients.pahoV3(broker.port(), id);
        Mqtt3BlockingClient pub = connectV3(broker.port(), "ps-v3-pub");
        MqttClient second = TestClients.pahoV3(broker.port(), id);
        try {
            assertThat(first.connectWithResult(TestClients.pahoV3Options(false)).getSessionPresent())
                    .isFalse();
            first.subscribe("ps/v3/#", 2);
            first.disconnect();

            for (int i = 0; i < 5; i++) {
                pub.publishWith()
                        .topic("ps/v3/a")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(bytes("one-" + i))
                        .send();
                pub.publishWith()
                        .topic("ps/v3/b")
                        .qos(MqttQos.EXACTLY_ONCE)
                        .payload(bytes("two-" + i))
                        .send();
            }

            PahoV3Inbox inbox = new PahoV3Inbox();
            second.setCallback(inbox);
            assertThat(second.connectWithResult(TestClients.pahoV3Options(false))
                            .getSessionPresent())
                    .isTrue();
            awaitCount(inbox.payloads, 10);
            pub.publishWith()
                    .topic("ps/v3/end")
                    .qos(MqttQos.EXACTLY_ONCE)
                    .payload(bytes("end"))
                    .send();
            await().atMost(WAIT).until(() -> inbox.payloads.contains("end"));

            assertThat(inbox.payloads)
                    .containsExactlyInAnyOrder(
                            "one-0", "one-1", "one-2", "one-3", "one-4", "two-0", "two-1", "two-2", "two-3", "two-4",
                            "end");
            assertThat(inbox.qos).containsOnly(1, 2);
            second.disconnect();

            // Clean Session 1 ends the session, and Session Present must be 0 (3.1.1 section 3.2.2.2).
            assertThat(second.connectWithResult(TestClients.pahoV3Options(true)).getSessionPresent())
                    .isFalse();
        } finally {
            closeQuietly(first);
            closeQuietly(second);
            disconnectQuietly(pub);
        }
    }

    @Test
    void subscriptionsSurviveAReconnect() {
        String id = "ps-keep";
        Mqtt5BlockingClient first = v5(broker.port(), id);
        first.connectWith().cleanStart(true).sessionExpiryInterval(60).send();
        subscribe(first, "ps/keep/+", MqttQos.AT_LEAST_ONCE);
        first.disconnect();

        Mqtt5BlockingClient second = v5(broker.port(), id);
        Queue<Mqtt5Publish> received = collect(second);
        Mqtt5BlockingClient pub = connectV5(broker.port(), "ps-keep-pub");
        try {
            assertThat(resume(second)).isTrue();
            // No SUBSCRIBE on this connection: the session's subscription delivers.
            publish(pub, "ps/keep/x", MqttQos.AT_LEAST_ONCE, "still subscribed");
            awaitCount(received, 1);
            assertThat(text(received.peek().getPayloadAsBytes())).isEqualTo("still subscribed");
            assertThat(received.peek().getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
        } finally {
            disconnectQuietly(second);
            disconnectQuietly(pub);
        }
    }

    @Test
    void qos0IsNotQueuedForAnOfflineClient() {
        String id = "ps-q0";
        Mqtt5BlockingClient first = v5(broker.port(), id);
        first.connectWith().cleanStart(true).sessionExpiryInterval(60).send();
        subscribe(first, "ps/q0/#", MqttQos.EXACTLY_ONCE);
        first.disconnect();
        awaitOffline(broker.broker(), id);

        Mqtt5BlockingClient pub = connectV5(broker.port(), "ps-q0-pub");
        Mqtt5BlockingClient second = v5(broker.port(), id);
        Queue<Mqtt5Publish> received = collect(second);
        try {
            long droppedBefore = broker.broker().metrics().droppedOfflineQos0();
            for (int i = 0; i < 3; i++) {
                publish(pub, "ps/q0/m", MqttQos.AT_MOST_ONCE, "qos0-" + i);
            }
            publish(pub, "ps/q0/marker", MqttQos.AT_LEAST_ONCE, "marker");
            await().atMost(WAIT).until(() -> broker.broker().metrics().droppedOfflineQos0() - droppedBefore == 3);

            assertThat(resume(second)).isTrue();
            assertThat(payloadsBefore(received, "ps/q0/marker"))
                    .as("herald.mqtt.queue-qos0-offline is false by default")
                    .isEmpty();
        } finally {
            disconnectQuietly(second);
            disconnectQuietly(pub);
        }
    }

    @Test
    void sessionIsGoneAfterItsExpiryInterval() {
        String id = "ps-expiry";
        Mqtt5BlockingClient first = v5(broker.port(), id);
        first.connectWith().cleanStart(true).sessionExpiryInterval(1).send();
        subscribe(first, "ps/expiry", MqttQos.AT_LEAST_ONCE);
        first.disconnect();

        Mqtt5BlockingClient pub = connectV5(broker.port(), "ps-expiry-pub");
        Mqtt5BlockingClient second = v5(broker.port(), id);
        Queue<Mqtt5Publish> received = collect(second);
        try {
            // While the session lives its subscription matches (PUBACK 0x00, the message is queued);
            // once it expired nothing matches and the PUBACK says 0x10 No matching subscribers.
            await().atMost(Duration.ofSeconds(6))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> pubAckOf(pub.publishWith()
                                    .topic("ps/expiry")
                                    .qos(MqttQos.AT_LEAST_ONCE)
                                    .payload(bytes("probe"))
                                    .send())
                            == Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);

            Mqtt5ConnAck ack = second.connectWith()
                    .cleanStart(false)
                    .sessionExpiryInterval(1)
                    .send();
            assertThat(ack.isSessionPresent()).isFalse();
            // A new session: subscribe again; what the expired one had queued is gone with it.
            subscribe(second, "ps/expiry", MqttQos.AT_LEAST_ONCE);
            publish(pub, "ps/expiry", MqttQos.AT_LEAST_ONCE, "fresh");
            awaitCount(received, 1);
            assertThat(received).extracting(p -> text(p.getPayloadAsBytes())).doesNotContain("probe");
        } finally {
            disconnectQuietly(second);
            disconnectQuietly(pub);
        }
    }

    @Test
    void messagesThatExpireWhileQueuedAreDiscardedAndTheRestCarryWhatIsLeft() {
        String id = "ps-msg-expiry";
        Mqtt5BlockingClient first = v5(broker.port(), id);
        first.connectWith().cleanStart(true).sessionExpiryInterval(60).send();
        subscribe(first, "ps/mexp/#", MqttQos.AT_LEAST_ONCE);
        first.disconnect();
        awaitOffline(broker.broker(), id);

        Mqtt5BlockingClient pub = connectV5(broker.port(), "ps-msg-expiry-pub");
        Mqtt5BlockingClient second = v5(broker.port(), id);
        Queue<Mqtt5Publish> received = collect(second);
        try {
            for (String name : List.of("short", "long")) {
                pub.publishWith()
                        .topic("ps/mexp/" + name)
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(bytes(name))
                        .messageExpiryInterval(name.equals("short") ? 1 : 60)
                        .send();
            }
            // Nothing to observe while both wait in the queue: let the short one's second run out.
            await().pollDelay(Duration.ofMillis(1500))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> true);

            assertThat(resume(second)).isTrue();
            publish(pub, "ps/mexp/end", MqttQos.AT_LEAST_ONCE, "end");
            List<String> payloads = payloadsBefore(received, "ps/mexp/end");
            SoftAssertions.assertSoftly(softly -> {
                // MQTT 5.0 3.3.2.3.3 [MQTT-3.3.2-5]: an expired message is not delivered.
                softly.assertThat(payloads).containsExactly("long");
                // [MQTT-3.3.2-6]: the interval sent on is what remains after the wait in the server.
                received.stream()
                        .filter(p -> text(p.getPayloadAsBytes()).equals("long"))
                        .forEach(p -> softly.assertThat(
                                        p.getMessageExpiryInterval().orElse(-1))
                                .isBetween(1L, 59L));
            });
        } finally {
            disconnectQuietly(second);
            disconnectQuietly(pub);
        }
    }

    /** Connects with Clean Start 0 and returns Session Present. */
    private static boolean resume(Mqtt5BlockingClient client) {
        return client.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(60)
                .send()
                .isSessionPresent();
    }

    private static Mqtt5PubAckReasonCode pubAckOf(Mqtt5PublishResult result) {
        return ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode();
    }
}
