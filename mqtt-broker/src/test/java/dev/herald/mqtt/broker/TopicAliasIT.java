package dev.herald.mqtt.broker;

import static dev.herald.mqtt.broker.TestClients.WAIT;
import static dev.herald.mqtt.broker.TestClients.awaitCount;
import static dev.herald.mqtt.broker.TestClients.collect;
import static dev.herald.mqtt.broker.TestClients.connectV5;
import static dev.herald.mqtt.broker.TestClients.disconnectQuietly;
import static dev.herald.mqtt.broker.TestClients.publish;
import static dev.herald.mqtt.broker.TestClients.subscribe;
import static dev.herald.mqtt.broker.TestClients.text;
import static dev.herald.mqtt.broker.TestClients.v5;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.herald.mqtt.message.Disconnect;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PubAck;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.SubAck;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.DisconnectReasonCode;
import dev.herald.mqtt.message.reason.PubAckReasonCode;
import dev.herald.mqtt.testkit.HeraldBrokerExtension;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Topic Aliases on the wire (MQTT 5.0 section 3.3.2.3.4) with the default settings (Topic Alias
 * Maximum 64 towards the broker, up to 64 assigned towards each client): aliases a client sets are
 * resolved and never forwarded; aliases the broker assigns respect the client's Topic Alias Maximum
 * (section 3.1.2.11.5) and none are sent to a client that did not allow them; no mapping outlives its
 * Network Connection [MQTT-3.3.2-7]. Invalid aliases are in {@code malformed/MalformedCase}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class TopicAliasIT {

    @RegisterExtension
    static final HeraldBrokerExtension broker = new HeraldBrokerExtension();

    /** A PUBLISH as it came over the wire: its topic (empty when aliased), alias (null: none) and payload. */
    record Wire(String topic, Integer alias, String payload) {}

    @Test
    void aliasesFromTheClientAreResolvedAndNotForwarded() throws Exception {
        Mqtt5BlockingClient sub = connectV5(broker.port(), "alias-in-sub");
        try (RawMqttClient rawSub = RawMqttClient.open(broker.port(), MqttVersion.V5);
                RawMqttClient pub = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            Queue<Mqtt5Publish> received = collect(sub);
            subscribe(sub, "alias/#", MqttQos.AT_LEAST_ONCE);
            rawSub.connect("alias-in-raw-sub", true, 0, null); // no Topic Alias Maximum: none may come
            rawSub.subscribe(1, "alias/#", QoS.AT_MOST_ONCE);
            rawSub.expect(SubAck.class);
            pub.connect("alias-in-pub", true, 0, null);

            assertThat(publishWithAlias(pub, 1, "alias/a", 3, "set a")) // sets alias 3
                    .isEqualTo(PubAckReasonCode.SUCCESS);
            assertThat(publishWithAlias(pub, 2, "", 3, "use a")).isEqualTo(PubAckReasonCode.SUCCESS);
            assertThat(publishWithAlias(pub, 3, "alias/b", 3, "set b")) // sets alias 3 anew
                    .isEqualTo(PubAckReasonCode.SUCCESS);
            assertThat(publishWithAlias(pub, 4, "", 3, "use b")).isEqualTo(PubAckReasonCode.SUCCESS);

            awaitCount(received, 4);
            assertThat(received)
                    .extracting(p -> p.getTopic().toString() + " " + text(p.getPayloadAsBytes()))
                    .containsExactly("alias/a set a", "alias/a use a", "alias/b set b", "alias/b use b");
            assertThat(readPublishes(rawSub, 4))
                    .containsExactly(
                            new Wire("alias/a", null, "set a"),
                            new Wire("alias/a", null, "use a"),
                            new Wire("alias/b", null, "set b"),
                            new Wire("alias/b", null, "use b"));
        } finally {
            disconnectQuietly(sub);
        }
    }

    @Test
    void theBrokerAssignsAliasesUpToTheClientsTopicAliasMaximum() throws Exception {
        Mqtt5BlockingClient pub = connectV5(broker.port(), "alias-out-pub");
        try (RawMqttClient sub = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            sub.connect(sub.connectPacket("alias-out-sub", true, 60, topicAliasMaximum(2), null));
            sub.subscribe(1, "out/#", QoS.AT_MOST_ONCE);
            sub.expect(SubAck.class);

            String[] topics = {"out/1", "out/1", "out/2", "out/3", "out/1"};
            for (int i = 0; i < topics.length; i++) {
                publish(pub, topics[i], MqttQos.AT_LEAST_ONCE, "m" + i);
            }
            // Two aliases: out/1 and out/2 take them; out/3 goes in full; out/1 keeps its alias.
            assertThat(readPublishes(sub, topics.length))
                    .containsExactly(
                            new Wire("out/1", 1, "m0"),
                            new Wire("", 1, "m1"),
                            new Wire("out/2", 2, "m2"),
                            new Wire("out/3", null, "m3"),
                            new Wire("", 1, "m4"));
        } finally {
            disconnectQuietly(pub);
        }
    }

    @Test
    void aClientWithoutTopicAliasMaximumNeverGetsAnAlias() throws Exception {
        Mqtt5BlockingClient pub = connectV5(broker.port(), "alias-none-pub");
        try (RawMqttClient sub = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            sub.connect("alias-none-sub", true, 0, null); // absent means 0 (MQTT 5.0 3.1.2.11.5)
            sub.subscribe(1, "none/#", QoS.AT_MOST_ONCE);
            sub.expect(SubAck.class);

            String[] topics = {"none/1", "none/1", "none/2", "none/1", "none/2", "none/1"};
            for (int i = 0; i < topics.length; i++) {
                publish(pub, topics[i], MqttQos.AT_LEAST_ONCE, "m" + i);
            }
            List<Wire> expected = new ArrayList<>();
            for (int i = 0; i < topics.length; i++) {
                expected.add(new Wire(topics[i], null, "m" + i));
            }
            assertThat(readPublishes(sub, topics.length)).containsExactlyElementsOf(expected);
        } finally {
            disconnectQuietly(pub);
        }
    }

    @Test
    void aHiveMqSubscriberThatAllowsAliasesGetsTheFullTopics() {
        Mqtt5BlockingClient sub = v5(broker.port(), "alias-hive-sub");
        Mqtt5BlockingClient pub = connectV5(broker.port(), "alias-hive-pub");
        try {
            Queue<Mqtt5Publish> received = collect(sub);
            sub.connectWith()
                    .restrictions()
                    .topicAliasMaximum(3)
                    .applyRestrictions()
                    .send();
            subscribe(sub, "hive/#", MqttQos.AT_LEAST_ONCE);

            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String topic = "hive/t" + (i * 7 % 5); // five topics for three aliases, interleaved
                sent.add(topic + " m" + i);
                publish(pub, topic, MqttQos.AT_LEAST_ONCE, "m" + i);
            }
            awaitCount(received, sent.size());
            assertThat(received)
                    .extracting(p -> p.getTopic().toString() + " " + text(p.getPayloadAsBytes()))
                    .containsExactlyElementsOf(sent);
        } finally {
            disconnectQuietly(sub);
            disconnectQuietly(pub);
        }
    }

    @Test
    void aliasesTheClientSetDoNotOutliveTheConnection() throws Exception {
        try (RawMqttClient first = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            first.connect("alias-carry", true, 300, null);
            assertThat(publishWithAlias(first, 1, "carry/t", 7, "set"))
                    .isEqualTo(PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);
            first.send(Disconnect.NORMAL);
            assertThat(first.readUntilClosed(WAIT)).isEmpty();
        }
        try (RawMqttClient second = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            assertThat(second.connect("alias-carry", false, 300, null).sessionPresent())
                    .isTrue();
            // [MQTT-3.3.2-7]: the mapping of alias 7 stayed with the first connection.
            second.send(aliased("", 7, QoS.AT_MOST_ONCE, 0, "use"));
            assertThat(second.readUntilClosed(WAIT))
                    .containsExactly(new Disconnect(DisconnectReasonCode.PROTOCOL_ERROR));
        }
    }

    @Test
    void aliasesTheBrokerAssignedStartAfreshOnANewConnection() throws Exception {
        Mqtt5BlockingClient pub = connectV5(broker.port(), "alias-fresh-pub");
        try {
            try (RawMqttClient sub = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
                sub.connect(sub.connectPacket("alias-fresh-sub", true, 60, persistent(topicAliasMaximum(2)), null));
                sub.subscribe(1, "fresh/#", QoS.AT_LEAST_ONCE);
                sub.expect(SubAck.class);
                publish(pub, "fresh/t", MqttQos.AT_LEAST_ONCE, "first");
                Publish p = sub.expect(Publish.class);
                assertThat(wire(p)).isEqualTo(new Wire("fresh/t", 1, "first"));
                sub.send(new PubAck(p.packetId()));
                sub.send(Disconnect.NORMAL);
                assertThat(sub.readUntilClosed(WAIT)).isEmpty();
            }
            publish(pub, "fresh/t", MqttQos.AT_LEAST_ONCE, "queued"); // waits in the offline session
            try (RawMqttClient sub = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
                assertThat(sub.connect(sub.connectPacket(
                                        "alias-fresh-sub", false, 60, persistent(topicAliasMaximum(2)), null))
                                .sessionPresent())
                        .isTrue();
                // [MQTT-3.3.2-7]: the new connection knows no alias, so the topic comes in full again.
                Publish p = sub.expect(Publish.class);
                assertThat(wire(p)).isEqualTo(new Wire("fresh/t", 1, "queued"));
                sub.send(new PubAck(p.packetId()));
                sub.send(Disconnect.NORMAL);
            }
        } finally {
            disconnectQuietly(pub);
        }
    }

    private static Properties topicAliasMaximum(int maximum) {
        return Properties.builder()
                .add(MqttProperty.TOPIC_ALIAS_MAXIMUM, maximum)
                .build();
    }

    /** The properties plus a Session Expiry Interval of 300 s. */
    private static Properties persistent(Properties props) {
        return props.toBuilder().add(MqttProperty.SESSION_EXPIRY_INTERVAL, 300L).build();
    }

    private static Publish aliased(String topic, int alias, QoS qos, int packetId, String payload) {
        return new Publish(
                topic,
                qos,
                false,
                false,
                packetId,
                Properties.builder().add(MqttProperty.TOPIC_ALIAS, alias).build(),
                RawMqttClient.utf8(payload));
    }

    /** Sends a QoS 1 PUBLISH with a Topic Alias and returns the reason code of its PUBACK. */
    private static PubAckReasonCode publishWithAlias(
            RawMqttClient pub, int packetId, String topic, int alias, String payload) throws IOException {
        pub.send(aliased(topic, alias, QoS.AT_LEAST_ONCE, packetId, payload));
        PubAck ack = pub.expect(PubAck.class);
        assertThat(ack.packetId()).isEqualTo(packetId);
        return ack.reasonCode();
    }

    private static List<Wire> readPublishes(RawMqttClient sub, int count) throws IOException {
        List<Wire> seen = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            seen.add(wire(sub.expect(Publish.class)));
        }
        return seen;
    }

    private static Wire wire(Publish p) {
        Integer alias = p.properties().has(MqttProperty.TOPIC_ALIAS)
                ? p.properties().intValue(MqttProperty.TOPIC_ALIAS, 0)
                : null;
        return new Wire(p.topic(), alias, RawMqttClient.text(p.payload()));
    }
}
