package dev.herald.mqtt.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.broker.BrokerSettings;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.message.Will;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.SubAckReasonCode;
import dev.herald.mqtt.message.reason.UnsubAckReasonCode;
import java.time.Duration;
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

/** The BrokerActor's protocol: sessions, takeover, subscriptions in the snapshot, retained, wills. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
class BrokerActorTest {

    private static final Duration WAIT = Duration.ofSeconds(3);

    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder().build();

    private final BrokerSettings settings =
            BrokerSettings.from(ConfigFactory.parseString("herald.mqtt.max-subscriptions-per-client = 2")
                    .withFallback(ConfigFactory.load()));
    private final RoutingTable routing = new RoutingTable();
    private ActorRef<BrokerActor.Command> broker;

    private ActorRef<BrokerActor.Command> broker() {
        if (broker == null) {
            broker = testKit.spawn(BrokerActor.create(settings, new BrokerMetrics(), routing));
        }
        return broker;
    }

    private ConnectionActor.SessionReady connect(
            String clientId, boolean cleanStart, TestProbe<ConnectionActor.Command> c) {
        broker().tell(new BrokerActor.ClientConnect(clientId, cleanStart, 3600, null, c.ref()));
        return c.expectMessageClass(ConnectionActor.SessionReady.class, WAIT);
    }

    private ConnectionActor.Subscribed subscribe(
            String clientId,
            ActorRef<SessionActor.Command> session,
            String filter,
            TestProbe<ConnectionActor.Command> c) {
        broker().tell(new BrokerActor.Subscribe(
                clientId,
                session,
                null,
                1,
                0,
                List.of(new BrokerActor.Requested(new Subscription(filter, QoS.AT_LEAST_ONCE), null)),
                c.ref()));
        return c.expectMessageClass(ConnectionActor.Subscribed.class, WAIT);
    }

    private static Publish publish(String topic, boolean retain) {
        return new Publish(topic, QoS.AT_LEAST_ONCE, retain, false, 0, Properties.EMPTY, ByteString.fromString("x"));
    }

    @Test
    void aSubscriptionIsInTheSnapshotBeforeItsSubAck() {
        TestProbe<ConnectionActor.Command> conn = testKit.createTestProbe();
        TestProbe<SessionActor.Command> session = testKit.createTestProbe();
        connect("snap", true, conn);

        ConnectionActor.Subscribed subscribed = subscribe("snap", session.ref(), "snap/+", conn);

        assertThat(subscribed.reasonCodes()).containsExactly(SubAckReasonCode.GRANTED_QOS_1);
        assertThat(Router.route(routing.snapshot(), publish("snap/1", false), "other"))
                .isEqualTo(1);
        SessionActor.Deliver d = session.expectMessageClass(SessionActor.Deliver.class, WAIT);
        assertThat(d.message().topic()).isEqualTo("snap/1");
        assertThat(d.subscriptionQos()).isEqualTo(QoS.AT_LEAST_ONCE);
    }

    @Test
    void retainedMessagesComeWithTheSubAckAndAnEmptyPayloadClearsThem() {
        TestProbe<ConnectionActor.Command> conn = testKit.createTestProbe();
        TestProbe<SessionActor.Command> session = testKit.createTestProbe();
        connect("ret", true, conn);
        broker().tell(new BrokerActor.Retain(publish("ret/a", true), null));
        broker().tell(new BrokerActor.Retain(publish("ret/b", true), null));
        broker().tell(new BrokerActor.Retain(
                new Publish("ret/b", QoS.AT_MOST_ONCE, true, false, 0, Properties.EMPTY, ByteString.emptyByteString()),
                null));

        ConnectionActor.Subscribed subscribed = subscribe("ret", session.ref(), "ret/#", conn);

        assertThat(subscribed.retained()).hasSize(1);
        assertThat(subscribed.retained().get(0).message().topic()).isEqualTo("ret/a");
        assertThat(subscribed.retained().get(0).fromRetained()).isTrue();
    }

    @Test
    void aSecondConnectionTakesTheSessionOver() {
        TestProbe<ConnectionActor.Command> first = testKit.createTestProbe();
        TestProbe<ConnectionActor.Command> second = testKit.createTestProbe();
        ConnectionActor.SessionReady one = connect("twice", true, first);

        ConnectionActor.SessionReady two = connect("twice", false, second);

        first.expectMessage(WAIT, ConnectionActor.TakenOver.INSTANCE);
        assertThat(two.sessionPresent()).isTrue();
        assertThat(two.session()).isEqualTo(one.session());
    }

    @Test
    void cleanStartReplacesTheSession() {
        TestProbe<ConnectionActor.Command> conn = testKit.createTestProbe();
        ConnectionActor.SessionReady one = connect("clean", true, conn);
        broker().tell(new BrokerActor.ClientDisconnected("clean", conn.ref(), null, 3600));

        ConnectionActor.SessionReady two = connect("clean", true, conn);

        assertThat(two.sessionPresent()).isFalse();
        assertThat(two.session()).isNotEqualTo(one.session());
    }

    @Test
    void anUncleanEndPublishesTheWill() {
        TestProbe<ConnectionActor.Command> watcherConn = testKit.createTestProbe();
        TestProbe<SessionActor.Command> watcher = testKit.createTestProbe();
        connect("watcher", true, watcherConn);
        subscribe("watcher", watcher.ref(), "wills/#", watcherConn);
        TestProbe<ConnectionActor.Command> dying = testKit.createTestProbe();
        connect("dying", true, dying);

        Will will = new Will("wills/dying", ByteString.fromString("gone"), QoS.AT_LEAST_ONCE, false, Properties.EMPTY);
        broker().tell(new BrokerActor.ClientDisconnected("dying", dying.ref(), will, 0));

        SessionActor.Deliver d = watcher.expectMessageClass(SessionActor.Deliver.class, WAIT);
        assertThat(d.message().topic()).isEqualTo("wills/dying");
        assertThat(d.message().payload().utf8String()).isEqualTo("gone");
    }

    @Test
    void aDelayedWillIsCancelledWhenTheSessionResumes() {
        TestProbe<ConnectionActor.Command> watcherConn = testKit.createTestProbe();
        TestProbe<SessionActor.Command> watcher = testKit.createTestProbe();
        connect("watcher2", true, watcherConn);
        subscribe("watcher2", watcher.ref(), "late/#", watcherConn);
        TestProbe<ConnectionActor.Command> flaky = testKit.createTestProbe();
        connect("flaky", true, flaky);
        Properties delay =
                Properties.builder().add(MqttProperty.WILL_DELAY_INTERVAL, 1L).build();
        Will will = new Will("late/flaky", ByteString.fromString("gone"), QoS.AT_MOST_ONCE, false, delay);

        broker().tell(new BrokerActor.ClientDisconnected("flaky", flaky.ref(), will, 3600));
        connect("flaky", false, flaky);

        watcher.expectNoMessage(Duration.ofMillis(1500));
    }

    @Test
    void unsubscribeAndQuota() {
        TestProbe<ConnectionActor.Command> conn = testKit.createTestProbe();
        TestProbe<SessionActor.Command> session = testKit.createTestProbe();
        connect("quota", true, conn);
        subscribe("quota", session.ref(), "q/1", conn);
        subscribe("quota", session.ref(), "q/2", conn);

        assertThat(subscribe("quota", session.ref(), "q/3", conn).reasonCodes())
                .containsExactly(SubAckReasonCode.QUOTA_EXCEEDED);
        assertThat(subscribe("quota", session.ref(), "q/1", conn).reasonCodes()) // a replacement is no new one
                .containsExactly(SubAckReasonCode.GRANTED_QOS_1);

        broker().tell(new BrokerActor.Unsubscribe("quota", 9, List.of("q/1", "nope"), conn.ref()));
        ConnectionActor.Unsubscribed u = conn.expectMessageClass(ConnectionActor.Unsubscribed.class, WAIT);
        assertThat(u.reasonCodes())
                .containsExactly(UnsubAckReasonCode.SUCCESS, UnsubAckReasonCode.NO_SUBSCRIPTION_EXISTED);
        assertThat(Router.route(routing.snapshot(), publish("q/1", false), "x")).isZero();
    }
}
