package dev.herald.mqtt.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.broker.BrokerSettings;
import dev.herald.mqtt.codec.MqttEncoder;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PubAck;
import dev.herald.mqtt.message.PubComp;
import dev.herald.mqtt.message.PubRec;
import dev.herald.mqtt.message.PubRel;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The SessionActor's protocol with its connection: windows, packet ids, queues, resends. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
class SessionActorTest {

    private static final Duration WAIT = Duration.ofSeconds(3);

    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder().build();

    private final BrokerSettings settings =
            BrokerSettings.from(ConfigFactory.parseString("herald.mqtt { max-inflight = 2, max-queued-messages = 3 }")
                    .withFallback(ConfigFactory.load()));

    private static Publish message(String topic, QoS qos) {
        return new Publish(topic, qos, false, false, 0, Properties.EMPTY, ByteString.fromString(topic));
    }

    private static SessionActor.Deliver deliver(String topic, QoS qos) {
        return new SessionActor.Deliver(message(topic, qos), QoS.EXACTLY_ONCE, false, false, List.of(), null);
    }

    private ActorRef<SessionActor.Command> attached(TestProbe<ConnectionActor.Command> connection, BrokerMetrics m) {
        ActorRef<SessionActor.Command> session =
                testKit.spawn(SessionActor.create("c", settings, m, new SessionLoad(), new RoutingTable()));
        session.tell(new SessionActor.Attach(MqttVersion.V5, 0, 65_535, MqttEncoder.MAX_PACKET_SIZE, connection.ref()));
        connection.expectMessage(WAIT, new ConnectionActor.Attached(Set.of()));
        return session;
    }

    private static Publish outbound(TestProbe<ConnectionActor.Command> connection) {
        ConnectionActor.Outbound out = connection.expectMessageClass(ConnectionActor.Outbound.class, WAIT);
        return (Publish) out.packet();
    }

    @Test
    void sendsNoMoreThanTheWindowAndTheRestAfterAcks() {
        TestProbe<ConnectionActor.Command> connection = testKit.createTestProbe();
        ActorRef<SessionActor.Command> session = attached(connection, new BrokerMetrics());

        session.tell(deliver("a", QoS.AT_LEAST_ONCE));
        session.tell(deliver("b", QoS.AT_LEAST_ONCE));
        session.tell(deliver("c", QoS.AT_LEAST_ONCE));

        Publish a = outbound(connection);
        Publish b = outbound(connection);
        assertThat(List.of(a.topic(), b.topic())).containsExactly("a", "b");
        assertThat(a.packetId()).isNotEqualTo(b.packetId()).isPositive();
        connection.expectNoMessage(Duration.ofMillis(200));

        session.tell(new SessionActor.Acked(new PubAck(a.packetId())));
        assertThat(outbound(connection).topic()).isEqualTo("c");
    }

    @Test
    void qos2GoesThroughPubRecPubRelPubComp() {
        TestProbe<ConnectionActor.Command> connection = testKit.createTestProbe();
        ActorRef<SessionActor.Command> session = attached(connection, new BrokerMetrics());

        session.tell(deliver("q2", QoS.EXACTLY_ONCE));
        Publish p = outbound(connection);
        assertThat(p.qos()).isEqualTo(QoS.EXACTLY_ONCE);

        session.tell(new SessionActor.Acked(new PubRec(p.packetId())));
        connection.expectMessage(WAIT, new ConnectionActor.Outbound(new PubRel(p.packetId())));
        session.tell(new SessionActor.Acked(new PubComp(p.packetId())));

        session.tell(deliver("next", QoS.EXACTLY_ONCE));
        session.tell(deliver("next2", QoS.EXACTLY_ONCE));
        assertThat(outbound(connection).topic()).isEqualTo("next");
        assertThat(outbound(connection).topic()).isEqualTo("next2");
    }

    @Test
    void downgradesToTheSubscriptionQosAndCarriesSubscriptionIds() {
        TestProbe<ConnectionActor.Command> connection = testKit.createTestProbe();
        ActorRef<SessionActor.Command> session = attached(connection, new BrokerMetrics());

        session.tell(new SessionActor.Deliver(
                message("d", QoS.EXACTLY_ONCE), QoS.AT_MOST_ONCE, false, false, List.of(7, 9), null));

        Publish p = outbound(connection);
        assertThat(p.qos()).isEqualTo(QoS.AT_MOST_ONCE);
        assertThat(p.properties().subscriptionIdentifiers()).containsExactly(7, 9);
        assertThat(p.properties().has(MqttProperty.TOPIC_ALIAS)).isFalse();
    }

    @Test
    void resendsInFlightWithDupAndPubRelOnReattach() {
        TestProbe<ConnectionActor.Command> first = testKit.createTestProbe();
        BrokerMetrics metrics = new BrokerMetrics();
        ActorRef<SessionActor.Command> session = attached(first, metrics);
        session.tell(deliver("one", QoS.AT_LEAST_ONCE));
        session.tell(deliver("two", QoS.EXACTLY_ONCE));
        Publish one = outbound(first);
        Publish two = outbound(first);
        session.tell(new SessionActor.Acked(new PubRec(two.packetId())));
        first.expectMessage(WAIT, new ConnectionActor.Outbound(new PubRel(two.packetId())));

        session.tell(new SessionActor.InboundQos2(42, false, null));
        session.tell(new SessionActor.InboundQos2(43, false, null));
        session.tell(new SessionActor.InboundQos2(43, true, null));
        session.tell(new SessionActor.Detach(first.ref()));
        session.tell(deliver("queued", QoS.AT_LEAST_ONCE));

        TestProbe<ConnectionActor.Command> second = testKit.createTestProbe();
        session.tell(new SessionActor.Attach(MqttVersion.V5, 0, 65_535, MqttEncoder.MAX_PACKET_SIZE, second.ref()));
        second.expectMessage(WAIT, new ConnectionActor.Attached(Set.of(42)));
        Publish resent = outbound(second);
        assertThat(resent.dup()).isTrue();
        assertThat(resent.packetId()).isEqualTo(one.packetId());
        second.expectMessage(WAIT, new ConnectionActor.Outbound(new PubRel(two.packetId())));
        second.expectNoMessage(Duration.ofMillis(200)); // the window of 2 is full: "queued" waits

        session.tell(new SessionActor.Acked(new PubAck(one.packetId())));
        assertThat(outbound(second).topic()).isEqualTo("queued");
    }

    @Test
    void countsWhatItDropsOffline() {
        TestProbe<ConnectionActor.Command> connection = testKit.createTestProbe();
        BrokerMetrics metrics = new BrokerMetrics();
        ActorRef<SessionActor.Command> session = attached(connection, metrics);
        session.tell(new SessionActor.Detach(connection.ref()));

        session.tell(deliver("qos0", QoS.AT_MOST_ONCE));
        for (int i = 0; i < 5; i++) {
            session.tell(deliver("q" + i, QoS.AT_LEAST_ONCE));
        }

        TestProbe<ConnectionActor.Command> back = testKit.createTestProbe();
        session.tell(new SessionActor.Attach(MqttVersion.V5, 0, 65_535, MqttEncoder.MAX_PACKET_SIZE, back.ref()));
        back.expectMessageClass(ConnectionActor.Attached.class, WAIT);
        assertThat(outbound(back).topic()).isEqualTo("q0");
        assertThat(outbound(back).topic()).isEqualTo("q1");
        assertThat(metrics.droppedOfflineQos0()).isEqualTo(1);
        assertThat(metrics.droppedQueueFull()).isEqualTo(2); // 5 offered, 3 queued
    }

    @Test
    void dropsMessagesOverTheClientsMaximumPacketSize() {
        TestProbe<ConnectionActor.Command> connection = testKit.createTestProbe();
        BrokerMetrics metrics = new BrokerMetrics();
        ActorRef<SessionActor.Command> session =
                testKit.spawn(SessionActor.create("small", settings, metrics, new SessionLoad(), new RoutingTable()));
        session.tell(new SessionActor.Attach(MqttVersion.V5, 0, 65_535, 20, connection.ref()));
        connection.expectMessageClass(ConnectionActor.Attached.class, WAIT);

        session.tell(deliver("a-topic-long-enough-to-exceed-twenty-bytes", QoS.AT_MOST_ONCE));
        session.tell(deliver("ok", QoS.AT_MOST_ONCE));

        assertThat(outbound(connection).topic()).isEqualTo("ok");
        assertThat(metrics.droppedTooLargeForClient()).isEqualTo(1);
    }
}
