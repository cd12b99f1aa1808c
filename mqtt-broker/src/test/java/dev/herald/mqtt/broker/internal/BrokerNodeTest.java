package dev.herald.mqtt.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.broker.BrokerSettings;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.SubAckReasonCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

/**
 * A node's part of a clustered broker: its replica of the routing snapshot follows the BrokerActor's
 * table and changes (of the BrokerActor's epoch only), a SUBACK it passes on follows the change, a
 * publish sent to the node reaches its sessions, and a new BrokerActor learns the sessions it runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
class BrokerNodeTest {

    private static final Duration WAIT = Duration.ofSeconds(3);

    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder().build();

    private final BrokerSettings settings = BrokerSettings.defaults();

    /** A node with its own routing table, and the probes it talks to. */
    private final class Node {
        final RoutingTable routing = new RoutingTable();
        final TestProbe<ConnectionSupervisor.Command> connections = testKit.createTestProbe();
        final TestProbe<BrokerActor.Command> broker = testKit.createTestProbe();
        final ActorRef<BrokerNode.Command> ref = testKit.spawn(BrokerNode.create(
                settings, new BrokerMetrics(), routing, new BrokerLocation(broker.ref(), true), connections.ref()));
    }

    private static BrokerNode.RouteChange added(String clientId, String filter, ActorRef<SessionActor.Command> to) {
        return new BrokerNode.RouteChange(clientId, filter, to, new Subscription(filter, QoS.AT_LEAST_ONCE), 0);
    }

    /** The client ids the node's snapshot routes {@code topic} to. */
    private static List<String> routed(RoutingTable routing, String topic) {
        List<String> clients = new ArrayList<>();
        routing.snapshot().match(topic, (filter, clientId, entry) -> clients.add(clientId));
        return clients;
    }

    @Test
    void theReplicaFollowsTheTableAndTheChangesOfItsBrokerActorOnly() {
        Node node = new Node();
        TestProbe<SessionActor.Command> a = testKit.createTestProbe();
        TestProbe<SessionActor.Command> b = testKit.createTestProbe();

        node.ref.tell(new BrokerNode.Snapshot(7, List.of(), List.of(added("a", "x/#", a.ref())), List.of()));
        node.ref.tell(BrokerNode.Changes.of(7, null, List.of(added("b", "x/+", b.ref())), List.of()));
        node.ref.tell(BrokerNode.Changes.of(6, null, List.of(BrokerNode.RouteChange.removed("a", "x/#")), List.of()));
        TestProbe<ConnectionActor.Command> connection = testKit.createTestProbe();
        ConnectionActor.Unsubscribed answer = new ConnectionActor.Unsubscribed(3, List.of());
        node.ref.tell(BrokerNode.Changes.reply(7, connection.ref(), answer));

        connection.expectMessage(WAIT, answer); // after every change before it
        assertThat(routed(node.routing, "x/1"))
                .as("a change of an earlier BrokerActor is ignored")
                .containsExactlyInAnyOrder("a", "b");

        node.ref.tell(BrokerNode.Changes.of(7, null, List.of(BrokerNode.RouteChange.removed("a", "x/#")), List.of()));
        ConnectionActor.Subscribed subAck =
                new ConnectionActor.Subscribed(4, List.of(SubAckReasonCode.GRANTED_QOS_1), List.of());
        node.ref.tell(BrokerNode.Changes.reply(7, connection.ref(), subAck));
        connection.expectMessage(WAIT, subAck);
        assertThat(routed(node.routing, "x/1")).containsExactly("b");
    }

    @Test
    void aPublishSentToTheNodeReachesEachOfItsSessions() {
        Node node = new Node();
        TestProbe<SessionActor.Command> a = testKit.createTestProbe();
        TestProbe<SessionActor.Command> b = testKit.createTestProbe();
        Publish message =
                new Publish("x/1", QoS.AT_LEAST_ONCE, false, false, 0, Properties.EMPTY, ByteString.fromString("m"));

        node.ref.tell(new BrokerNode.Deliveries(
                message,
                List.of(
                        new BrokerNode.Delivery(a.ref(), QoS.AT_LEAST_ONCE, false, List.of(5), null),
                        new BrokerNode.Delivery(b.ref(), QoS.AT_MOST_ONCE, true, List.of(), null))));

        SessionActor.Deliver toA = a.expectMessageClass(SessionActor.Deliver.class, WAIT);
        SessionActor.Deliver toB = b.expectMessageClass(SessionActor.Deliver.class, WAIT);
        assertThat(toA.message()).isEqualTo(message);
        assertThat(toA.subscriptionQos()).isEqualTo(QoS.AT_LEAST_ONCE);
        assertThat(toA.subscriptionIds()).containsExactly(5);
        assertThat(toB.subscriptionQos()).isEqualTo(QoS.AT_MOST_ONCE);
        assertThat(toB.retainAsPublished()).isTrue();
    }

    @Test
    void aNewBrokerActorLearnsTheSessionsTheNodeRunsWithTheirSubscriptionsAndTheRetainedCopy() {
        Node node = new Node();
        TestProbe<ConnectionActor.Command> connection = testKit.createTestProbe();
        SessionActor.Attach attach = new SessionActor.Attach(MqttVersion.V5, 600, 10, 1 << 20, connection.ref());
        node.ref.tell(new BrokerNode.StartSession("c", 42, attach, node.broker.ref()));
        BrokerActor.SessionStarted started = node.broker.expectMessageClass(BrokerActor.SessionStarted.class, WAIT);
        connection.expectMessageClass(ConnectionActor.SessionStarted.class, WAIT);
        Publish retained =
                new Publish("state", QoS.AT_MOST_ONCE, true, false, 0, Properties.EMPTY, ByteString.fromString("on"));
        node.ref.tell(new BrokerNode.Snapshot(
                1, List.of(), List.of(added("c", "x/#", started.session())), List.of(retained)));

        TestProbe<BrokerActor.Command> newBroker = testKit.createTestProbe();
        node.ref.tell(new BrokerNode.Rejoin(newBroker.ref()));

        BrokerActor.NodeRejoined rejoined = newBroker.expectMessageClass(BrokerActor.NodeRejoined.class, WAIT);
        assertThat(rejoined.retained()).containsExactly(retained);
        assertThat(rejoined.sessions()).singleElement().satisfies(s -> {
            assertThat(s.clientId()).isEqualTo("c");
            assertThat(s.incarnation()).isEqualTo(42);
            assertThat(s.session()).isEqualTo(started.session());
            assertThat(s.connection()).isEqualTo(connection.ref());
            assertThat(s.sessionExpiry()).isEqualTo(600);
            assertThat(s.routes()).extracting(BrokerNode.RouteChange::filter).containsExactly("x/#");
        });
        // The node's connections are told to send again what the old BrokerActor may have lost.
        node.connections.expectMessage(WAIT, ConnectionSupervisor.BrokerMoved.INSTANCE);
    }
}
