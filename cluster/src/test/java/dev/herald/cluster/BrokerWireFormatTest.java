package dev.herald.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.typesafe.config.ConfigFactory;
import dev.herald.mqtt.broker.ClientView;
import dev.herald.mqtt.broker.internal.BrokerActor;
import dev.herald.mqtt.broker.internal.BrokerNode;
import dev.herald.mqtt.broker.internal.ConnectionActor;
import dev.herald.mqtt.broker.internal.SessionActor;
import dev.herald.mqtt.codec.MqttEncoder;
import dev.herald.mqtt.message.Disconnect;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PingResp;
import dev.herald.mqtt.message.PubAck;
import dev.herald.mqtt.message.PubComp;
import dev.herald.mqtt.message.PubRec;
import dev.herald.mqtt.message.PubRel;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.RetainHandling;
import dev.herald.mqtt.message.SubAck;
import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.message.UnsubAck;
import dev.herald.mqtt.message.Will;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.DisconnectReasonCode;
import dev.herald.mqtt.message.reason.PubAckReasonCode;
import dev.herald.mqtt.message.reason.SubAckReasonCode;
import dev.herald.mqtt.message.reason.UnsubAckReasonCode;
import dev.herald.mqtt.store.internal.OnCommit;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonCborSerializer;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every broker message that may cross nodes goes through Pekko's jackson-cbor serializer (the binding
 * and the module in this module's reference.conf) and comes back the same. One sample per line of
 * {@link #samples()}: a message gets a line when it may cross nodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
class BrokerWireFormatTest {

    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder()
            .withCustomConfig(ConfigFactory.parseString("pekko.actor.serialize-messages = on"))
            .build();

    /**
     * How a sample must come back: {@code byValue} compares it with equals; otherwise it holds a field
     * without equals (a shared group), and it must serialize to the same bytes again.
     */
    record Sample(Object message, boolean byValue) {
        @Override
        public String toString() {
            return message.getClass().getName().replaceFirst(".*\\.", "");
        }
    }

    private static Sample equal(Object message) {
        return new Sample(message, true);
    }

    private static Sample sameBytes(Object message) {
        return new Sample(message, false);
    }

    List<Sample> samples() {
        ActorRef<ConnectionActor.Command> connection =
                testKit.<ConnectionActor.Command>createTestProbe().ref();
        ActorRef<SessionActor.Command> session =
                testKit.<SessionActor.Command>createTestProbe().ref();
        ActorRef<BrokerActor.Clients> clients =
                testKit.<BrokerActor.Clients>createTestProbe().ref();
        ActorRef<BrokerNode.Command> node =
                testKit.<BrokerNode.Command>createTestProbe().ref();
        ActorRef<BrokerActor.Command> broker =
                testKit.<BrokerActor.Command>createTestProbe().ref();
        ActorRef<StatusReply<Done>> settled =
                testKit.<StatusReply<Done>>createTestProbe().ref();
        Publish publish = publish();
        Will will = will();
        SessionActor.Attach attach = new SessionActor.Attach(MqttVersion.V5, 3600, 20, 1_048_576, connection);
        SessionActor.Deliver deliver =
                new SessionActor.Deliver(publish, QoS.AT_LEAST_ONCE, true, false, List.of(7, 42), null);
        return List.of(
                equal(new BrokerActor.ClientConnect("sensor-17", false, 3600, will, connection)),
                equal(new BrokerActor.ClientConnect("sensor-18", true, 0, null, connection)),
                equal(new BrokerActor.ClientDisconnected("sensor-17", connection, will, 3600)),
                equal(new BrokerActor.ClientDisconnected("sensor-18", connection, null, 0)),
                equal(new BrokerActor.Subscribe(
                        "sensor-17",
                        session,
                        null,
                        12,
                        7,
                        List.of(
                                new BrokerActor.Requested(
                                        new Subscription(
                                                "sensors/+/data",
                                                QoS.EXACTLY_ONCE,
                                                true,
                                                true,
                                                RetainHandling.SEND_IF_NEW_SUBSCRIPTION),
                                        null),
                                new BrokerActor.Requested(
                                        new Subscription("admin/#", QoS.AT_MOST_ONCE),
                                        SubAckReasonCode.NOT_AUTHORIZED)),
                        connection)),
                equal(new BrokerActor.Subscribe(
                        "sensor-18",
                        null,
                        attach,
                        13,
                        0,
                        List.of(new BrokerActor.Requested(new Subscription("alerts", QoS.AT_LEAST_ONCE), null)),
                        connection)),
                equal(new BrokerActor.Unsubscribe("sensor-17", 14, List.of("sensors/+/data", "admin/#"), connection)),
                equal(new BrokerActor.SubscriptionsOf("sensor-17", connection)),
                equal(new BrokerActor.Retain(publish, null)),
                equal(new BrokerActor.ListClients(clients)),
                equal(new BrokerActor.Clients(List.of(
                        new ClientView(
                                "sensor-17",
                                true,
                                List.of(new ClientView.SubscriptionView("a/#", QoS.AT_LEAST_ONCE)),
                                "pekko://herald@127.0.0.1:2552"),
                        new ClientView("sensor-18", false, List.of(), null)))),
                equal(new BrokerActor.Settled(settled)),
                equal(new BrokerActor.SessionStarted("sensor-17", 1_700_000_000_000_000L, session)),
                equal(new BrokerNode.Changes(
                        42,
                        List.of(node),
                        List.of(
                                new BrokerNode.RouteChange(
                                        "sensor-17",
                                        "$share/g/a/#",
                                        session,
                                        new Subscription("$share/g/a/#", QoS.AT_LEAST_ONCE),
                                        7),
                                new BrokerNode.RouteChange("sensor-18", "b/+", null, null, 0)),
                        List.of(publish),
                        null,
                        null,
                        null)),
                equal(new BrokerNode.Changes(
                        42,
                        null,
                        List.of(),
                        List.of(),
                        connection,
                        new ConnectionActor.Subscribed(12, List.of(SubAckReasonCode.GRANTED_QOS_1), List.of(deliver)),
                        null)),
                equal(new BrokerNode.Changes(
                        42,
                        null,
                        List.of(),
                        List.of(),
                        connection,
                        null,
                        new ConnectionActor.Unsubscribed(14, List.of(UnsubAckReasonCode.SUCCESS)))),
                equal(new BrokerNode.Snapshot(
                        42,
                        List.of(node),
                        List.of(new BrokerNode.RouteChange(
                                "sensor-17", "a/#", session, new Subscription("a/#", QoS.EXACTLY_ONCE), 0)),
                        List.of(publish))),
                equal(new BrokerNode.Rejoin(broker)),
                equal(new BrokerNode.Deliveries(
                        publish,
                        List.of(
                                new BrokerNode.Delivery(session, QoS.AT_LEAST_ONCE, true, List.of(7, 42), null),
                                new BrokerNode.Delivery(session, QoS.AT_MOST_ONCE, false, List.of(), null)))),
                equal(new BrokerActor.NodeRejoined(
                        node,
                        List.of(
                                new BrokerNode.RejoinedSession(
                                        "sensor-17",
                                        1_700_000_000_000_000L,
                                        session,
                                        connection,
                                        3600,
                                        List.of(new BrokerNode.RouteChange(
                                                "sensor-17",
                                                "a/#",
                                                session,
                                                new Subscription("a/#", QoS.AT_LEAST_ONCE),
                                                0))),
                                new BrokerNode.RejoinedSession(
                                        "sensor-18", 1_700_000_000_000_001L, session, null, 0, List.of())),
                        List.of(publish))),
                equal(new BrokerNode.StartSession("sensor-17", 1_700_000_000_000_000L, attach, broker)),
                equal(new BrokerNode.StartSession("sensor-18", 1_700_000_000_000_001L, null, broker)),
                equal(new ConnectionActor.SessionReady(session, true)),
                equal(new ConnectionActor.Attached(Set.of(3, 9, 65535))),
                equal(new ConnectionActor.Outbound(publish)),
                equal(new ConnectionActor.Outbound(new PubRel(5))),
                equal(new ConnectionActor.Outbound(new PubAck(
                        6,
                        PubAckReasonCode.NO_MATCHING_SUBSCRIBERS,
                        Properties.builder().reasonString("nobody listens").build()))),
                equal(new ConnectionActor.Outbound(new SubAck(
                        12,
                        Properties.EMPTY,
                        List.of(
                                SubAckReasonCode.GRANTED_QOS_2,
                                SubAckReasonCode.GRANTED_QOS_0,
                                SubAckReasonCode.NOT_AUTHORIZED,
                                SubAckReasonCode.TOPIC_FILTER_INVALID)))),
                equal(new ConnectionActor.Outbound(new UnsubAck(
                        14,
                        Properties.EMPTY,
                        List.of(UnsubAckReasonCode.SUCCESS, UnsubAckReasonCode.NO_SUBSCRIPTION_EXISTED)))),
                equal(new ConnectionActor.Outbound(new PingResp())),
                equal(new ConnectionActor.Outbound(new Disconnect(
                        DisconnectReasonCode.SERVER_SHUTTING_DOWN,
                        Properties.builder().reasonString("bye").build()))),
                equal(new ConnectionActor.Subscribed(
                        12,
                        List.of(SubAckReasonCode.GRANTED_QOS_1, SubAckReasonCode.NOT_AUTHORIZED),
                        List.of(deliver))),
                equal(new ConnectionActor.Unsubscribed(
                        14, List.of(UnsubAckReasonCode.SUCCESS, UnsubAckReasonCode.NO_SUBSCRIPTION_EXISTED))),
                equal(new ConnectionActor.Subscriptions(List.of("sensors/+/data", "$share/workers/jobs/#"))),
                equal(new ConnectionActor.SessionStarted(session)),
                equal(new ConnectionActor.Stored(123_456_789_012L, true)),
                equal(ConnectionActor.TakenOver.INSTANCE),
                equal(ConnectionActor.ServerShutdown.INSTANCE),
                equal(deliver),
                sameBytes(throughSharedGroup(publish, "workers", "jobs/#")),
                equal(attach),
                equal(new SessionActor.Detach(connection)),
                equal(new SessionActor.InboundQos2(77, true, null)),
                equal(new SessionActor.Acked(new PubAck(8))),
                equal(new SessionActor.Acked(new PubRec(
                        9,
                        PubAckReasonCode.QUOTA_EXCEEDED,
                        Properties.builder().userProperty("retry-after", "5").build()))),
                equal(new SessionActor.Acked(new PubComp(10))),
                equal(SessionActor.End.INSTANCE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void goesAsCborAndComesBackTheSame(Sample sample) {
        Object message = sample.message();
        Serializer serializer = serialization().findSerializerFor(message);
        assertThat(serializer).isInstanceOf(JacksonCborSerializer.class);

        byte[] bytes = serialization().serialize(message).get();
        Object back = serialization()
                .deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, message))
                .get();

        assertThat(back).isInstanceOf(message.getClass());
        if (sample.byValue()) {
            assertThat(back).isEqualTo(message);
        } else {
            assertThat(back).isNotSameAs(message);
            assertThat(serialization().serialize(back).get()).isEqualTo(bytes);
        }
    }

    /** A packet goes as one CBOR byte string: the packet as the broker's codec writes it in MQTT 5. */
    @Test
    void aPacketGoesAsItsMqtt5Bytes() throws Exception {
        Publish publish = publish();

        JsonNode tree = new CBORMapper()
                .readTree(serialization()
                        .serialize(new BrokerActor.Retain(publish, null))
                        .get());

        assertThat(tree.get("message").isBinary()).isTrue();
        assertThat(tree.get("message").binaryValue())
                .isEqualTo(MqttEncoder.encode(publish, MqttVersion.V5).toArray());
        assertThat(tree.get("stored").isNull()).isTrue();
    }

    /** A store callback waits on this node's disk: it fails the message rather than vanish. */
    @Test
    void aStoreCallbackDoesNotCrossNodes() {
        SessionActor.InboundQos2 message = new SessionActor.InboundQos2(77, false, stored -> {});

        assertThatThrownBy(() -> serialization().serialize(message).get())
                .hasStackTraceContaining("An OnCommit store callback cannot cross nodes");
    }

    @Test
    void anAcknowledgementCrossesAsItsConnectionAndIdAndTellsThatConnection() throws Exception {
        TestProbe<ConnectionActor.Command> connection = testKit.createTestProbe();
        Class<?> ackType = Class.forName("dev.herald.mqtt.broker.internal.DurableAck");
        Constructor<?> make = ackType.getDeclaredConstructor(ActorRef.class, long.class);
        make.setAccessible(true);
        OnCommit ack = (OnCommit) make.newInstance(connection.ref(), 41L);
        SessionActor.InboundQos2 message = new SessionActor.InboundQos2(77, false, ack);

        byte[] bytes = serialization().serialize(message).get();
        SessionActor.InboundQos2 back = (SessionActor.InboundQos2) serialization()
                .deserialize(
                        bytes,
                        serialization().findSerializerFor(message).identifier(),
                        Serializers.manifestFor(serialization().findSerializerFor(message), message))
                .get();
        back.stored().committed(true);

        assertThat(back.packetId()).isEqualTo(77);
        assertThat(connection.receiveMessage()).isEqualTo(new ConnectionActor.Stored(41, true));
    }

    private Serialization serialization() {
        return SerializationExtension.get(testKit.system().classicSystem());
    }

    /** A PUBLISH with every kind of property a routed message may carry. */
    private static Publish publish() {
        Properties properties = Properties.builder()
                .add(MqttProperty.PAYLOAD_FORMAT_INDICATOR, 1)
                .add(MqttProperty.MESSAGE_EXPIRY_INTERVAL, 300L)
                .add(MqttProperty.CONTENT_TYPE, "application/json")
                .add(MqttProperty.RESPONSE_TOPIC, "replies/sensor-17")
                .add(MqttProperty.CORRELATION_DATA, ByteString.fromArray(new byte[] {0, 1, (byte) 0xFE, (byte) 0xFF}))
                .userProperty("site", "north")
                .userProperty("site", "south")
                .add(MqttProperty.SUBSCRIPTION_IDENTIFIER, 7)
                .add(MqttProperty.SUBSCRIPTION_IDENTIFIER, 42)
                .build();
        return new Publish(
                "sensors/17/data",
                QoS.AT_LEAST_ONCE,
                true,
                false,
                4711,
                properties,
                ByteString.fromString("{\"temperature\":21.5}"));
    }

    private static Will will() {
        Properties properties = Properties.builder()
                .add(MqttProperty.WILL_DELAY_INTERVAL, 30L)
                .add(MqttProperty.MESSAGE_EXPIRY_INTERVAL, 600L)
                .add(MqttProperty.CONTENT_TYPE, "text/plain")
                .userProperty("reason", "lost")
                .build();
        return new Will("sensors/17/status", ByteString.fromString("offline"), QoS.EXACTLY_ONCE, true, properties);
    }

    /**
     * A Deliver routed through the shared group {@code $share/name/filter}, handed on after an
     * overflow. SharedGroup is the broker's own package-private type: the group is a reference (its
     * name and filter, no members), as the receiving side makes one.
     */
    private static SessionActor.Deliver throughSharedGroup(Publish message, String name, String filter) {
        try {
            Class<?> groupType = Class.forName("dev.herald.mqtt.broker.internal.SharedGroup");
            Method reference = groupType.getDeclaredMethod("reference", String.class, String.class);
            reference.setAccessible(true);
            Object group = reference.invoke(null, name, filter);
            return SessionActor.Deliver.class
                    .getConstructor(
                            Publish.class,
                            QoS.class,
                            boolean.class,
                            boolean.class,
                            List.class,
                            groupType,
                            boolean.class,
                            OnCommit.class)
                    .newInstance(message, QoS.EXACTLY_ONCE, false, true, List.of(), group, true, null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
