package dev.herald.tap;

import static dev.herald.tap.TapClients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.herald.mqtt.broker.EmbeddedBroker;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A tap that cannot keep up never slows the broker down (ARCHITECTURE.md, invariant 3): its inbox
 * fills, the newest messages are dropped, counted and logged, and a subscriber of the same topics
 * receives every message while the tap is stuck.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class SlowTapIT {

    private static final int MESSAGES = 500;
    private static final int INBOX = 8;

    private Taps taps;
    private EmbeddedBroker broker;

    @BeforeAll
    void start() {
        taps = Taps.create();
        broker = EmbeddedBroker.builder().publishListener(taps::attach).start();
    }

    @AfterAll
    void stop() {
        broker.close();
    }

    @Test
    void aFullInboxDropsTheNewestAndCountsItWhileSubscribersGetEverything() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Tap slow = taps.onMessage("slow/{n}", TapOptions.ordered().inboxDepth(INBOX), (msg, params) -> {
            stuck.countDown();
            // a handler that blocks (bounded, so a failing test cannot hang the build)
            release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        });
        Mqtt5BlockingClient subscriber = TapClients.connect(broker, "slow-sub");
        Mqtt5BlockingClient publisher = TapClients.connect(broker, "slow-pub");
        try {
            Queue<Mqtt5Publish> received = TapClients.subscribe(subscriber, "slow/#");

            LoggingTestKit.warn("Tap inbox full, newest message dropped")
                    .withMessageContains("slow/{n}")
                    .expect(broker.context().system(), () -> {
                        for (int i = 0; i < MESSAGES; i++) {
                            TapClients.publish(publisher, "slow/" + i, "m" + i);
                        }
                        // every message reaches the subscriber while the tap is still stuck on the first
                        await().atMost(WAIT).until(() -> received.size() == MESSAGES);
                        return null;
                    });
            assertThat(stuck.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            TapStats stats = slow.stats();
            assertThat(stats.delivered()).isZero();
            // one message at the worker, at most INBOX waiting: the rest were dropped and counted
            assertThat(stats.dropped()).isGreaterThanOrEqualTo(MESSAGES - INBOX - 1);
            assertThat(stats.inboxDepth()).isLessThanOrEqualTo(INBOX);

            release.countDown();
            await().atMost(WAIT)
                    .until(() -> slow.stats().delivered() + slow.stats().dropped() == MESSAGES);
            assertThat(slow.stats().inboxDepth()).isZero();
            assertThat(received)
                    .extracting(p -> TapClients.text(p.getPayloadAsBytes()))
                    .startsWith("m0", "m1", "m2")
                    .endsWith("m" + (MESSAGES - 1));
        } finally {
            release.countDown();
            TapClients.disconnectQuietly(subscriber);
            TapClients.disconnectQuietly(publisher);
            slow.close();
        }
    }
}
