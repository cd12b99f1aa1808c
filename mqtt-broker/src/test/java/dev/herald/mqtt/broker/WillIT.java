package dev.herald.mqtt.broker;

import static dev.herald.mqtt.broker.TestClients.WAIT;
import static dev.herald.mqtt.broker.TestClients.awaitConnections;
import static dev.herald.mqtt.broker.TestClients.awaitCount;
import static dev.herald.mqtt.broker.TestClients.collect;
import static dev.herald.mqtt.broker.TestClients.connectV5;
import static dev.herald.mqtt.broker.TestClients.disconnectQuietly;
import static dev.herald.mqtt.broker.TestClients.payloadsBefore;
import static dev.herald.mqtt.broker.TestClients.publish;
import static dev.herald.mqtt.broker.TestClients.subscribe;
import static dev.herald.mqtt.broker.TestClients.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.herald.mqtt.message.Disconnect;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.Will;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.DisconnectReasonCode;
import dev.herald.mqtt.testkit.HeraldBrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Will Messages (MQTT 5.0 sections 3.1.2.5, 3.1.3.2 and 3.14.2.1): published when the connection is
 * lost, times out or is taken over, or on DISCONNECT 0x04; not on a normal DISCONNECT; with its QoS
 * and retain flag; and after the Will Delay Interval unless the session resumes first. Clients that
 * must vanish without DISCONNECT are raw sockets, which real client libraries cannot be made to do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class WillIT {

    @RegisterExtension
    static final HeraldBrokerExtension broker = new HeraldBrokerExtension();

    private static Will will(String topic, QoS qos, boolean retain, long delaySeconds) {
        Properties props = delaySeconds > 0
                ? Properties.builder()
                        .add(MqttProperty.WILL_DELAY_INTERVAL, delaySeconds)
                        .build()
                : Properties.EMPTY;
        return new Will(topic, RawMqttClient.utf8("will of " + topic), qos, retain, props);
    }

    /** A subscriber to {@code filter} and what it receives. */
    private record Watcher(Mqtt5BlockingClient client, Queue<Mqtt5Publish> received) {
        static Watcher of(String id, String filter, MqttQos qos) {
            Mqtt5BlockingClient c = connectV5(broker.port(), id);
            Queue<Mqtt5Publish> received = collect(c);
            subscribe(c, filter, qos);
            return new Watcher(c, received);
        }

        Mqtt5Publish awaitOne() {
            awaitCount(received, 1);
            return received.peek();
        }
    }

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    void publishedWhenTheConnectionIsLost(MqttVersion version) throws Exception {
        String topic = "will/lost/" + version;
        Watcher watcher = Watcher.of("will-lost-watch-" + version, topic, MqttQos.AT_LEAST_ONCE);
        try {
            try (RawMqttClient raw = RawMqttClient.open(broker.port(), version)) {
                raw.connect("will-lost-" + version, true, 0, will(topic, QoS.AT_LEAST_ONCE, false, 0));
            } // closed without DISCONNECT
            Mqtt5Publish w = watcher.awaitOne();
            assertThat(text(w.getPayloadAsBytes())).isEqualTo("will of " + topic);
            assertThat(w.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
        } finally {
            disconnectQuietly(watcher.client());
        }
    }

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    void publishedWhenKeepAliveRunsOut(MqttVersion version) throws Exception {
        String topic = "will/keepalive/" + version;
        Watcher watcher = Watcher.of("will-ka-watch-" + version, topic, MqttQos.AT_LEAST_ONCE);
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), version)) {
            raw.connect(raw.connectPacket(
                    "will-ka-" + version, true, 1, Properties.EMPTY, will(topic, QoS.AT_LEAST_ONCE, false, 0)));
            long start = System.nanoTime();
            // Keep Alive 1 s and silence: the server closes after one and a half times it (MQTT 5.0 3.1.2.10).
            List<MqttPacket> last = raw.readUntilClosed(Duration.ofSeconds(4));
            Duration closedAfter = Duration.ofNanos(System.nanoTime() - start);
            assertThat(closedAfter).isGreaterThan(Duration.ofMillis(1200)).isLessThan(Duration.ofSeconds(4));
            if (version == MqttVersion.V5) {
                assertThat(last).containsExactly(new Disconnect(DisconnectReasonCode.KEEP_ALIVE_TIMEOUT)); // 0x8D
            } else {
                assertThat(last).isEmpty(); // 3.1.1 has no server DISCONNECT
            }
            assertThat(text(watcher.awaitOne().getPayloadAsBytes())).isEqualTo("will of " + topic);
        } finally {
            disconnectQuietly(watcher.client());
        }
    }

    @Test
    void publishedWhenTheServerClosesOnAProtocolError() throws Exception {
        String topic = "will/protocol-error";
        Watcher watcher = Watcher.of("will-perr-watch", topic, MqttQos.AT_LEAST_ONCE);
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            raw.connect("will-perr", true, 0, will(topic, QoS.AT_LEAST_ONCE, false, 0));
            raw.send(raw.connectPacket("will-perr", true, 60, Properties.EMPTY, null)); // a second CONNECT
            raw.readUntilClosed(WAIT); // DISCONNECT 0x82 (see MalformedInputIT for its delivery)
            assertThat(text(watcher.awaitOne().getPayloadAsBytes())).isEqualTo("will of " + topic);
        } finally {
            disconnectQuietly(watcher.client());
        }
    }

    @Test
    void publishedWhenTheSessionIsTakenOver() throws Exception {
        String topic = "will/takeover";
        Watcher watcher = Watcher.of("will-take-watch", topic, MqttQos.AT_LEAST_ONCE);
        Mqtt5BlockingClient successor = TestClients.v5(broker.port(), "will-take");
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            raw.connect("will-take", true, 0, will(topic, QoS.AT_LEAST_ONCE, false, 0));
            successor.connect();
            assertThat(raw.readUntilClosed(WAIT))
                    .containsExactly(new Disconnect(DisconnectReasonCode.SESSION_TAKEN_OVER)); // 0x8E
            assertThat(text(watcher.awaitOne().getPayloadAsBytes())).isEqualTo("will of " + topic);
        } finally {
            disconnectQuietly(successor);
            disconnectQuietly(watcher.client());
        }
    }

    @Test
    void notPublishedOnNormalDisconnect() {
        Watcher watcher = Watcher.of("will-normal-watch", "will/normal/#", MqttQos.AT_LEAST_ONCE);
        long baseline = broker.broker().metrics().connections();
        Mqtt5BlockingClient client = clientWithWill("will-normal", "will/normal/will", 0);
        try {
            client.connect();
            client.disconnect(); // reason 0x00: the Will is deleted (MQTT 5.0 3.1.2.5)
            awaitConnections(broker.broker(), baseline);
            // A SUBACK is a round trip through the BrokerActor, which hands out Wills: after it, a
            // Will would already be on its way to the watcher's session, ahead of the sentinel.
            subscribe(watcher.client(), "will/normal-sync", MqttQos.AT_MOST_ONCE);

            publish(watcher.client(), "will/normal/end", MqttQos.AT_LEAST_ONCE, "sentinel");
            assertThat(payloadsBefore(watcher.received(), "will/normal/end")).isEmpty();
        } finally {
            disconnectQuietly(watcher.client());
        }
    }

    @Test
    void publishedOnDisconnectWithWillMessage() {
        String topic = "will/0x04";
        Watcher watcher = Watcher.of("will-04-watch", topic, MqttQos.AT_LEAST_ONCE);
        Mqtt5BlockingClient client = clientWithWill("will-04", topic, 0);
        try {
            client.connect();
            client.disconnectWith()
                    .reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE)
                    .send();
            Mqtt5Publish w = watcher.awaitOne();
            assertThat(text(w.getPayloadAsBytes())).isEqualTo("will of " + topic);
            // The Will Properties travel with the Will Message (MQTT 5.0 3.1.3.2).
            assertThat(w.getContentType().map(Object::toString)).contains("text/plain");
            assertThat(w.getUserProperties().asList())
                    .extracting(u -> u.getName() + "=" + u.getValue())
                    .containsExactly("origin=will");
        } finally {
            disconnectQuietly(watcher.client());
        }
    }

    @Test
    void willQosAndRetainAreHonoured() throws Exception {
        String topic = "will/retained";
        Watcher atTwo = Watcher.of("will-ret-2", topic, MqttQos.EXACTLY_ONCE);
        Watcher atZero = Watcher.of("will-ret-0", topic, MqttQos.AT_MOST_ONCE);
        Watcher late = null;
        try {
            try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
                raw.connect("will-ret", true, 0, will(topic, QoS.EXACTLY_ONCE, true, 0));
            }
            Mqtt5Publish live = atTwo.awaitOne();
            assertThat(live.getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
            assertThat(live.isRetain())
                    .as("a live delivery without Retain As Published")
                    .isFalse();
            assertThat(atZero.awaitOne().getQos()).isEqualTo(MqttQos.AT_MOST_ONCE);

            late = Watcher.of("will-ret-late", topic, MqttQos.EXACTLY_ONCE);
            Mqtt5Publish stored = late.awaitOne();
            assertThat(stored.isRetain()).as("the Will was retained").isTrue();
            assertThat(text(stored.getPayloadAsBytes())).isEqualTo("will of " + topic);
        } finally {
            disconnectQuietly(atTwo.client());
            disconnectQuietly(atZero.client());
            if (late != null) {
                disconnectQuietly(late.client());
            }
        }
    }

    @Test
    void delayedWillIsCancelledWhenTheSessionResumesInTime() throws Exception {
        String topic = "will/delay/cancel";
        Watcher watcher = Watcher.of("will-cancel-watch", topic, MqttQos.AT_LEAST_ONCE);
        long baseline = broker.broker().metrics().connections();
        try {
            try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
                raw.connect("will-cancel", true, 60, will(topic, QoS.AT_LEAST_ONCE, false, 2));
            }
            awaitConnections(broker.broker(), baseline);
            try (RawMqttClient again = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
                assertThat(again.connect("will-cancel", false, 60, null).sessionPresent())
                        .isTrue();
                // Past the 2 s Will Delay Interval, and still no Will (MQTT 5.0 3.1.3.2.2).
                await().during(Duration.ofSeconds(3))
                        .atMost(Duration.ofSeconds(5))
                        .until(() -> watcher.received().isEmpty());
                again.send(Disconnect.NORMAL);
            }
        } finally {
            disconnectQuietly(watcher.client());
        }
    }

    @Test
    void delayedWillIsPublishedAfterTheDelay() throws Exception {
        String topic = "will/delay/due";
        Watcher watcher = Watcher.of("will-due-watch", topic, MqttQos.AT_LEAST_ONCE);
        try {
            long closed;
            try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
                raw.connect("will-due", true, 60, will(topic, QoS.AT_LEAST_ONCE, false, 1));
                closed = System.nanoTime();
            }
            Mqtt5Publish w = watcher.awaitOne();
            assertThat(Duration.ofNanos(System.nanoTime() - closed)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            assertThat(text(w.getPayloadAsBytes())).isEqualTo("will of " + topic);
        } finally {
            disconnectQuietly(watcher.client());
        }
    }

    @Test
    void delayedWillIsPublishedWhenTheSessionEndsFirst() throws Exception {
        String topic = "will/delay/session-ends";
        Watcher watcher = Watcher.of("will-ends-watch", topic, MqttQos.AT_LEAST_ONCE);
        long baseline = broker.broker().metrics().connections();
        Mqtt5BlockingClient successor = TestClients.v5(broker.port(), "will-ends");
        try {
            try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
                raw.connect("will-ends", true, 60, will(topic, QoS.AT_LEAST_ONCE, false, 60));
            }
            awaitConnections(broker.broker(), baseline);
            // Clean Start ends the old session at once, and with it the 60 s delay.
            assertThat(successor.connectWith().cleanStart(true).send().isSessionPresent())
                    .isFalse();
            assertThat(text(watcher.awaitOne().getPayloadAsBytes())).isEqualTo("will of " + topic);
        } finally {
            disconnectQuietly(successor);
            disconnectQuietly(watcher.client());
        }
    }

    @Test
    void delayedWillIsPublishedWhenATakeoverStartsClean() throws Exception {
        String topic = "will/delay/takeover-clean";
        Watcher watcher = Watcher.of("will-tclean-watch", topic, MqttQos.AT_LEAST_ONCE);
        Mqtt5BlockingClient successor = TestClients.v5(broker.port(), "will-tclean");
        try (RawMqttClient raw = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            raw.connect("will-tclean", true, 60, will(topic, QoS.AT_LEAST_ONCE, false, 60));
            // Still connected when the same id connects with Clean Start 1: the old session ends now,
            // and a Will is published when its delay passes or its session ends, whichever is first
            // (MQTT 5.0 3.1.2.5 [MQTT-3.1.2-8], 3.1.3.2.2 and 3.1.4 step 2).
            assertThat(successor.connectWith().cleanStart(true).send().isSessionPresent())
                    .isFalse();
            assertThat(raw.readUntilClosed(WAIT))
                    .containsExactly(new Disconnect(DisconnectReasonCode.SESSION_TAKEN_OVER));
            assertThat(text(watcher.awaitOne().getPayloadAsBytes())).isEqualTo("will of " + topic);
        } finally {
            disconnectQuietly(successor);
            disconnectQuietly(watcher.client());
        }
    }

    /** A HiveMQ MQTT 5 client with a QoS 1 Will on {@code topic}, not connected yet. */
    private static Mqtt5BlockingClient clientWithWill(String id, String topic, long delay) {
        return Mqtt5Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .willPublish()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(TestClients.bytes("will of " + topic))
                .delayInterval(delay)
                .contentType("text/plain")
                .userProperties()
                .add("origin", "will")
                .applyUserProperties()
                .applyWillPublish()
                .buildBlocking();
    }
}
