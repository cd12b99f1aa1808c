package dev.herald.mqtt.broker;

import static dev.herald.mqtt.broker.TestClients.awaitConnections;
import static dev.herald.mqtt.broker.TestClients.collect;
import static dev.herald.mqtt.broker.TestClients.connectV5;
import static dev.herald.mqtt.broker.TestClients.disconnectQuietly;
import static dev.herald.mqtt.broker.TestClients.payloadsBefore;
import static dev.herald.mqtt.broker.TestClients.publish;
import static dev.herald.mqtt.broker.TestClients.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.herald.mqtt.message.ConnAck;
import dev.herald.mqtt.message.Disconnect;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PubAck;
import dev.herald.mqtt.message.PubComp;
import dev.herald.mqtt.message.PubRec;
import dev.herald.mqtt.message.PubRel;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.SubAck;
import dev.herald.mqtt.message.reason.PubAckReasonCode;
import dev.herald.mqtt.message.reason.PubRelReasonCode;
import dev.herald.mqtt.message.reason.SubAckReasonCode;
import dev.herald.mqtt.testkit.HeraldBrokerExtension;
import java.util.List;
import java.util.Queue;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exactly once across a lost connection, with the exchange cut half way (MQTT 5.0 sections 4.3.3 and
 * 4.4): a raw client stops in the middle of a QoS 1 and a QoS 2 flow, drops the socket, resumes the
 * session, and each message is still delivered exactly once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class InFlightResumeIT {

    @RegisterExtension
    static final HeraldBrokerExtension broker = new HeraldBrokerExtension();

    @Test
    void outgoingFlowsResumeWithPubRelAndDuplicatePublish() throws Exception {
        String id = "inflight-sub";
        Mqtt5BlockingClient pub = connectV5(broker.port(), "inflight-pub");
        long baseline = broker.broker().metrics().connections();
        int twoId;
        int oneId;
        try (RawMqttClient sub = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            assertThat(sub.connect(id, true, 60, null).sessionPresent()).isFalse();
            sub.subscribe(1, "inflight/out", QoS.EXACTLY_ONCE);
            assertThat(sub.expect(SubAck.class).reasonCodes()).containsExactly(SubAckReasonCode.GRANTED_QOS_2);

            publish(pub, "inflight/out", MqttQos.EXACTLY_ONCE, "two");
            publish(pub, "inflight/out", MqttQos.AT_LEAST_ONCE, "one");
            Publish two = sub.expect(Publish.class);
            Publish one = sub.expect(Publish.class);
            assertThat(RawMqttClient.text(two.payload())).isEqualTo("two");
            assertThat(RawMqttClient.text(one.payload())).isEqualTo("one");
            twoId = two.packetId();
            oneId = one.packetId();

            sub.send(new PubRec(twoId)); // QoS 2 half done: received, not completed
            assertThat(sub.expect(PubRel.class).packetId()).isEqualTo(twoId);
            // QoS 1 unacknowledged; then the network connection is lost.
        }
        awaitConnections(broker.broker(), baseline);

        try (RawMqttClient sub = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            assertThat(sub.connect(id, false, 60, null).sessionPresent()).isTrue();
            // Resent in the original order with the original ids: PUBREL for the released QoS 2
            // message (not its PUBLISH again), and the unacknowledged QoS 1 PUBLISH with DUP set.
            PubRel rel = sub.expect(PubRel.class);
            assertThat(rel.packetId()).isEqualTo(twoId);
            Publish again = sub.expect(Publish.class);
            assertThat(again.packetId()).isEqualTo(oneId);
            assertThat(again.dup()).isTrue();
            assertThat(RawMqttClient.text(again.payload())).isEqualTo("one");
            sub.send(new PubComp(twoId, PubRelReasonCode.SUCCESS, rel.properties()));
            sub.send(new PubAck(oneId));

            publish(pub, "inflight/out", MqttQos.AT_LEAST_ONCE, "after");
            Publish next = sub.expect(Publish.class);
            assertThat(RawMqttClient.text(next.payload()))
                    .as("nothing delivered twice")
                    .isEqualTo("after");
            assertThat(next.dup()).isFalse();
            sub.send(new PubAck(next.packetId()));
        } finally {
            disconnectQuietly(pub);
        }
    }

    @Test
    void incomingQos2ResentAfterReconnectIsRoutedOnce() throws Exception {
        String id = "inflight-pub2";
        Mqtt5BlockingClient sub = connectV5(broker.port(), "inflight-sub2");
        Queue<Mqtt5Publish> received = collect(sub);
        subscribe(sub, "inflight/in/#", MqttQos.EXACTLY_ONCE);
        long baseline = broker.broker().metrics().connections();
        try {
            try (RawMqttClient pub = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
                pub.connect(id, true, 60, null);
                pub.publish("inflight/in/x", QoS.EXACTLY_ONCE, 7, false, "once");
                PubRec rec = pub.expect(PubRec.class);
                assertThat(rec.packetId()).isEqualTo(7);
                assertThat(rec.reasonCode()).isEqualTo(PubAckReasonCode.SUCCESS);
                // Connection lost before PUBREL.
            }
            awaitConnections(broker.broker(), baseline);

            try (RawMqttClient pub = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
                ConnAck ack = pub.connect(id, false, 60, null);
                assertThat(ack.sessionPresent()).isTrue();
                // As if the PUBREC had been lost: the PUBLISH again, DUP set, same packet id. The
                // broker kept the id in the session and must not route the message a second time.
                pub.publish("inflight/in/x", QoS.EXACTLY_ONCE, 7, true, "once");
                assertThat(pub.expect(PubRec.class).packetId()).isEqualTo(7);
                pub.send(new PubRel(7));
                PubComp comp = pub.expect(PubComp.class);
                assertThat(comp.packetId()).isEqualTo(7);
                assertThat(comp.reasonCode()).isEqualTo(PubRelReasonCode.SUCCESS);

                pub.publish("inflight/in/end", QoS.EXACTLY_ONCE, 8, false, "end");
                pub.expect(PubRec.class);
                pub.send(new PubRel(8));
                pub.expect(PubComp.class);
            }
            assertThat(payloadsBefore(received, "inflight/in/end")).isEqualTo(List.of("once"));
        } finally {
            disconnectQuietly(sub);
        }
    }

    @Test
    void aDuplicateQos2PublishOnTheSameConnectionIsRoutedOnce() throws Exception {
        Mqtt5BlockingClient sub = connectV5(broker.port(), "dup-sub");
        Queue<Mqtt5Publish> received = collect(sub);
        subscribe(sub, "dup/#", MqttQos.EXACTLY_ONCE);
        try (RawMqttClient pub = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
            pub.connect("dup-pub", true, 0, null);
            pub.publish("dup/x", QoS.EXACTLY_ONCE, 9, false, "once");
            assertThat(pub.expect(PubRec.class).packetId()).isEqualTo(9);
            pub.publish("dup/x", QoS.EXACTLY_ONCE, 9, true, "once"); // resent before PUBREL
            assertThat(pub.expect(PubRec.class).packetId()).isEqualTo(9);
            pub.send(new PubRel(9));
            assertThat(pub.expect(PubComp.class).packetId()).isEqualTo(9);
            pub.publish("dup/end", QoS.AT_MOST_ONCE, 0, false, "end");
            assertThat(payloadsBefore(received, "dup/end")).containsExactly("once");
        } finally {
            disconnectQuietly(sub);
        }
    }

    /**
     * The same as {@link #incomingQos2ResentAfterReconnectIsRoutedOnce}, but the client reconnects
     * before the broker noticed that the old connection is gone, so the new connection takes the
     * session over from a live one (MQTT 5.0 3.1.4). The session state, including the ids of QoS 2
     * messages received but not released (section 4.1), must pass to the new connection. Repeated,
     * because the hand-over races the old connection's shutdown.
     */
    @Test
    void incomingQos2StateSurvivesATakeover() throws Exception {
        Mqtt5BlockingClient sub = connectV5(broker.port(), "takeover-sub");
        Queue<Mqtt5Publish> received = collect(sub);
        subscribe(sub, "takeover2/#", MqttQos.EXACTLY_ONCE);
        int rounds = 20;
        try {
            for (int i = 0; i < rounds; i++) {
                String id = "takeover-pub-" + i;
                try (RawMqttClient old = RawMqttClient.open(broker.port(), MqttVersion.V5);
                        RawMqttClient fresh = RawMqttClient.open(broker.port(), MqttVersion.V5)) {
                    old.connect(id, true, 60, null);
                    old.publish("takeover2/x", QoS.EXACTLY_ONCE, 7, false, "round-" + i);
                    assertThat(old.expect(PubRec.class).packetId()).isEqualTo(7);

                    assertThat(fresh.connect(id, false, 60, null).sessionPresent())
                            .isTrue();
                    fresh.publish("takeover2/x", QoS.EXACTLY_ONCE, 7, true, "round-" + i);
                    assertThat(fresh.expect(PubRec.class).packetId()).isEqualTo(7);
                    fresh.send(new PubRel(7));
                    assertThat(fresh.expect(PubComp.class).reasonCode()).isEqualTo(PubRelReasonCode.SUCCESS);
                    fresh.send(Disconnect.NORMAL);
                }
            }
            publish(sub, "takeover2/end", MqttQos.EXACTLY_ONCE, "end");
            List<String> payloads = payloadsBefore(received, "takeover2/end");
            List<String> expected =
                    IntStream.range(0, rounds).mapToObj(i -> "round-" + i).toList();
            assertThat(payloads).as("each message exactly once").containsExactlyElementsOf(expected);
        } finally {
            disconnectQuietly(sub);
        }
    }
}
