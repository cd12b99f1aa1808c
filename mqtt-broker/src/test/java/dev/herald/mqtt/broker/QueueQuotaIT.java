package dev.herald.mqtt.broker;

import static dev.herald.mqtt.broker.TestClients.WAIT;
import static dev.herald.mqtt.broker.TestClients.awaitCount;
import static dev.herald.mqtt.broker.TestClients.awaitOffline;
import static dev.herald.mqtt.broker.TestClients.collect;
import static dev.herald.mqtt.broker.TestClients.disconnectQuietly;
import static dev.herald.mqtt.broker.TestClients.subscribe;
import static dev.herald.mqtt.broker.TestClients.text;
import static dev.herald.mqtt.broker.TestClients.v5;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.PubAck;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.reason.PubAckReasonCode;
import dev.herald.mqtt.testkit.HeraldBrokerExtension;
import java.io.IOException;
import java.util.Queue;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code herald.mqtt.max-queued-messages-total}: once all sessions together hold that many messages,
 * a PUBLISH is not routed; an MQTT 5 QoS 1 PUBLISH gets PUBACK 0x97 Quota exceeded (MQTT 5.0 section
 * 3.4.2.1), a QoS 0 one and a 3.1.1 one (plain PUBACK, [MQTT-3.3.5-2]) are dropped, and all are
 * counted. When the messages are taken, the quota frees.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class QueueQuotaIT {

    private static final int QUOTA = 5;

    @RegisterExtension
    static final HeraldBrokerExtension broker = new HeraldBrokerExtension(
            "herald.mqtt { max-queued-messages-total = " + QUOTA + ", max-queued-messages = 100 }");

    @Test
    void publishesOverTheGlobalQuotaGetPubAck0x97UntilTheQueuedMessagesAreTaken() throws Exception {
        BrokerMetrics metrics = broker.broker().metrics();
        String id = "quota-offline";
        Mqtt5BlockingClient first = v5(broker.port(), id);
        first.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
        subscribe(first, "quota/#", MqttQos.AT_LEAST_ONCE);
        first.disconnect();
        awaitOffline(broker.broker(), id);

        Mqtt5BlockingClient second = v5(broker.port(), id);
        try (RawMqttClient pub = RawMqttClient.open(broker.port(), MqttVersion.V5);
                RawMqttClient pubV3 = RawMqttClient.open(broker.port(), MqttVersion.V3_1_1)) {
            pub.connect("quota-pub", true, 0, null);
            pubV3.connect("quota-pub-v3", true, 0, null);
            long droppedBefore = metrics.droppedQuotaExceeded();

            for (int i = 0; i < QUOTA; i++) {
                assertThat(publish(pub, i + 1, "q" + i)).isEqualTo(PubAckReasonCode.SUCCESS);
            }
            // The sessions count what they queue as it arrives; wait until all five are in.
            await().atMost(WAIT).until(() -> metrics.queuedMessages() == QUOTA);

            assertThat(publish(pub, 100, "over")).isEqualTo(PubAckReasonCode.QUOTA_EXCEEDED);
            assertThat(metrics.droppedQuotaExceeded() - droppedBefore).isEqualTo(1);

            pub.publish("quota/x", QoS.AT_MOST_ONCE, 0, false, "over qos 0"); // nothing to answer with
            await().atMost(WAIT).until(() -> metrics.droppedQuotaExceeded() - droppedBefore == 2);

            pubV3.publish("quota/x", QoS.AT_LEAST_ONCE, 101, false, "over v3");
            PubAck v3Ack = pubV3.expect(PubAck.class); // 3.1.1 has no reason codes
            assertThat(v3Ack.packetId()).isEqualTo(101);
            assertThat(pubV3.lastFrame()).containsExactly(0x40, 0x02, 0x00, 101);
            assertThat(metrics.droppedQuotaExceeded() - droppedBefore).isEqualTo(3);

            Queue<Mqtt5Publish> received = collect(second);
            assertThat(second.connectWith()
                            .cleanStart(false)
                            .sessionExpiryInterval(300)
                            .send()
                            .isSessionPresent())
                    .isTrue();
            awaitCount(received, QUOTA);
            await().atMost(WAIT).until(() -> metrics.queuedMessages() == 0);

            assertThat(publish(pub, 200, "after")).isEqualTo(PubAckReasonCode.SUCCESS);
            awaitCount(received, QUOTA + 1);
            assertThat(received)
                    .extracting(p -> text(p.getPayloadAsBytes()))
                    .containsExactly("q0", "q1", "q2", "q3", "q4", "after");
            assertThat(metrics.droppedQuotaExceeded() - droppedBefore).isEqualTo(3);
        } finally {
            disconnectQuietly(second);
        }
    }

    /** A QoS 1 PUBLISH to quota/x; returns the reason code of its PUBACK. */
    private static PubAckReasonCode publish(RawMqttClient pub, int packetId, String payload) throws IOException {
        pub.publish("quota/x", QoS.AT_LEAST_ONCE, packetId, false, payload);
        PubAck ack = pub.expect(PubAck.class);
        assertThat(ack.packetId()).isEqualTo(packetId);
        return ack.reasonCode();
    }
}
