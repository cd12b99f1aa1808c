package dev.herald.mqtt.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.mqtt.codec.MqttEncoder;
import dev.herald.mqtt.message.Connect;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.property.Properties;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The read side's window: one packet at a time until the actor widens it, then up to 32 packets or
 * 64 kB of them unacknowledged, in order; the end of the stream is told only after the last
 * packet's acknowledgement.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
class ConnectionInboundTest {

    private static final Duration QUIET = Duration.ofMillis(200);

    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder().build();

    /** A CONNECT and {@code publishes} QoS 0 PUBLISHes on topics "t/0", "t/1", ... in one chunk. */
    private static ByteString connectThenPublishes(int publishes, int payloadSize) {
        ByteStringBuilder bytes = new ByteStringBuilder();
        bytes.append(MqttEncoder.encode(
                new Connect(MqttVersion.V5, true, 0, "c", Properties.EMPTY, null, null, null), MqttVersion.V5));
        ByteString payload = ByteString.fromArray(new byte[payloadSize]);
        for (int i = 0; i < publishes; i++) {
            bytes.append(MqttEncoder.encode(
                    new Publish("t/" + i, QoS.AT_MOST_ONCE, false, false, 0, Properties.EMPTY, payload),
                    MqttVersion.V5));
        }
        return bytes.result();
    }

    /** Runs the stage over {@code bytes} (then the end of the stream) into a probe standing for the actor. */
    private TestProbe<ConnectionActor.Command> connection(ByteString bytes) {
        TestProbe<ConnectionActor.Command> probe = testKit.createTestProbe();
        ConnectionInbound.Link link = Source.single(bytes)
                .toMat(Sink.fromGraph(new ConnectionInbound(1024 * 1024)), Keep.right())
                .run(Materializer.matFromSystem(testKit.system()));
        link.attach(probe.ref());
        return probe;
    }

    private static ActorRef<ConnectionActor.StreamAck> initialized(TestProbe<ConnectionActor.Command> probe) {
        ActorRef<ConnectionActor.StreamAck> ackTo =
                probe.expectMessageClass(ConnectionActor.StreamInit.class).ackTo();
        ackTo.tell(ConnectionActor.StreamAck.INSTANCE);
        return ackTo;
    }

    private static String topicOf(ConnectionActor.Command message) {
        assertThat(message).isInstanceOf(ConnectionActor.Inbound.class);
        return ((Publish) ((ConnectionActor.Inbound) message).packet()).topic();
    }

    @Test
    void oneAtATimeUntilWidenedThenUpTo32InOrderAndTheEndAfterTheLastAcknowledgement() {
        TestProbe<ConnectionActor.Command> probe = connection(connectThenPublishes(40, 10));
        ActorRef<ConnectionActor.StreamAck> ackTo = initialized(probe);

        assertThat(probe.expectMessageClass(ConnectionActor.Inbound.class).packet())
                .isInstanceOf(Connect.class);
        probe.expectNoMessage(QUIET); // the CONNECT is not acknowledged yet

        ackTo.tell(ConnectionActor.StreamAck.WIDEN);
        for (int i = 0; i < ConnectionInbound.WINDOW_PACKETS; i++) {
            assertThat(topicOf(probe.receiveMessage())).isEqualTo("t/" + i);
        }
        probe.expectNoMessage(QUIET);

        ackTo.tell(ConnectionActor.StreamAck.INSTANCE);
        assertThat(topicOf(probe.receiveMessage())).isEqualTo("t/32");
        probe.expectNoMessage(QUIET);

        for (int i = 0; i < ConnectionInbound.WINDOW_PACKETS; i++) {
            ackTo.tell(ConnectionActor.StreamAck.INSTANCE);
        }
        for (int i = 33; i < 40; i++) {
            assertThat(topicOf(probe.receiveMessage())).isEqualTo("t/" + i);
        }
        probe.expectNoMessage(QUIET); // 7 packets still unacknowledged: the stream's end waits
        for (int i = 33; i < 40; i++) {
            ackTo.tell(ConnectionActor.StreamAck.INSTANCE);
        }
        probe.expectMessage(ConnectionActor.StreamCompleted.INSTANCE);
    }

    @Test
    void atMost64KilobytesOfPacketsAreUnacknowledged() {
        TestProbe<ConnectionActor.Command> probe = connection(connectThenPublishes(12, 10_000));
        ActorRef<ConnectionActor.StreamAck> ackTo = initialized(probe);
        probe.expectMessageClass(ConnectionActor.Inbound.class); // the CONNECT

        ackTo.tell(ConnectionActor.StreamAck.WIDEN);
        // 10,010-byte packets: handed over while fewer than 64 kB are, so the seventh goes and no more.
        for (int i = 0; i < 7; i++) {
            assertThat(topicOf(probe.receiveMessage())).isEqualTo("t/" + i);
        }
        probe.expectNoMessage(QUIET);

        ackTo.tell(ConnectionActor.StreamAck.INSTANCE);
        assertThat(topicOf(probe.receiveMessage())).isEqualTo("t/7");
        probe.expectNoMessage(QUIET);
    }
}
