package dev.herald.mqtt.broker;

import static dev.herald.mqtt.broker.TestClients.WAIT;
import static dev.herald.mqtt.broker.TestClients.connectV5;
import static dev.herald.mqtt.broker.TestClients.disconnectQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.SubAck;
import dev.herald.mqtt.message.reason.SubAckReasonCode;
import dev.herald.mqtt.testkit.HeraldBrokerExtension;
import java.nio.ByteBuffer;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A subscriber that stops reading must not slow down anyone else (ARCHITECTURE.md, invariant 3):
 * its QoS 0 messages are dropped and counted once its outbound queue is full, while a subscriber
 * that keeps up beside it receives every message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class SlowSubscriberIT {

    private static final int MESSAGES = 20_000;
    private static final int PAYLOAD_SIZE = 1024;
    /** Messages in flight from the publisher to the fast subscriber: below the outbound queue of 128. */
    private static final int WINDOW = 64;

    @RegisterExtension
    static final HeraldBrokerExtension broker =
            new HeraldBrokerExtension("herald.mqtt { outbound-queue-size = 128, max-inflight = 16 }");

    @Test
    void aSubscriberThatNeverReadsLosesQos0WhileAFastOneGetsEverything() throws Exception {
        Mqtt5BlockingClient fast = connectV5(broker.port(), "fast");
        Mqtt5BlockingClient pub = connectV5(broker.port(), "flood-pub");
        // A small receive buffer so the never-read socket fills after a few MB rather than many.
        try (RawMqttClient slow = RawMqttClient.open(broker.port(), MqttVersion.V5, 4096)) {
            slow.connect("slow", true, 0, null);
            slow.subscribe(1, "flood/#", QoS.AT_MOST_ONCE);
            assertThat(slow.expect(SubAck.class).reasonCodes()).containsExactly(SubAckReasonCode.GRANTED_QOS_0);
            // From here on the slow subscriber reads nothing.

            AtomicInteger received = new AtomicInteger();
            AtomicInteger outOfOrder = new AtomicInteger();
            Semaphore window = new Semaphore(WINDOW);
            fast.toAsync().publishes(MqttGlobalPublishFilter.ALL, p -> {
                int seq = p.getPayload().orElseThrow().getInt(0);
                if (seq != received.getAndIncrement()) {
                    outOfOrder.incrementAndGet();
                }
                window.release();
            });
            fast.subscribeWith()
                    .topicFilter("flood/#")
                    .qos(MqttQos.AT_MOST_ONCE)
                    .send();

            long droppedBefore = broker.broker().metrics().droppedQos0SlowClient();
            Mqtt5AsyncClient async = pub.toAsync();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (int i = 0; i < MESSAGES; i++) {
                // The fast subscriber's receipts pace the publisher, so only the slow one can fall behind.
                assertThat(window.tryAcquire(10, TimeUnit.SECONDS))
                        .as("the fast subscriber received message %d in time", i - WINDOW)
                        .isTrue();
                assertThat(System.nanoTime()).as("publishing took over 60 s").isLessThan(deadline);
                ByteBuffer payload = ByteBuffer.allocate(PAYLOAD_SIZE).putInt(0, i);
                async.publishWith()
                        .topic("flood/data")
                        .qos(MqttQos.AT_MOST_ONCE)
                        .payload(payload)
                        .send();
            }

            await().atMost(WAIT).until(() -> received.get() >= MESSAGES);
            assertThat(received.get()).isEqualTo(MESSAGES);
            assertThat(outOfOrder.get()).isZero();
            assertThat(broker.broker().metrics().droppedQos0SlowClient() - droppedBefore)
                    .as("QoS 0 dropped for the subscriber that does not read")
                    .isPositive();
        } finally {
            disconnectQuietly(fast);
            disconnectQuietly(pub);
        }
    }
}
