package dev.herald.tap;

import static dev.herald.tap.TapClients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.herald.mqtt.broker.EmbeddedBroker;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** A shared tap runs a pool of workers side by side; the pool resizes while it runs and heals itself. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class SharedPoolIT {

    private Taps taps;
    private EmbeddedBroker broker;
    private Mqtt5BlockingClient publisher;

    @BeforeAll
    void start() {
        taps = Taps.create();
        broker = EmbeddedBroker.builder().publishListener(taps::attach).start();
        publisher = TapClients.connect(broker, "pool-pub");
    }

    @AfterAll
    void stop() {
        TapClients.disconnectQuietly(publisher);
        broker.close();
    }

    @Test
    void aPoolHandlesMessagesSideBySideAndResizesWhileItRuns() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        Tap pool = taps.onMessage("work/{n}", TapOptions.shared(4), (msg, params) -> {
            threads.add(Thread.currentThread().getName());
            inFlight.incrementAndGet();
            try {
                release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            } finally {
                inFlight.decrementAndGet();
                done.incrementAndGet();
            }
        });
        try {
            for (int i = 0; i < 20; i++) {
                TapClients.publish(publisher, "work/" + i, "x");
            }
            await().atMost(WAIT).until(() -> inFlight.get() == 4);
            assertThat(pool.stats().workers()).isEqualTo(4);

            pool.resize(8);
            await().atMost(WAIT).until(() -> inFlight.get() == 8);
            assertThat(pool.stats().workers()).isEqualTo(8);
            assertThat(pool.stats().inboxDepth()).isEqualTo(12);
            assertThat(threads).allMatch(name -> name.contains("worker-dispatcher"));

            release.countDown();
            await().atMost(WAIT).until(() -> done.get() == 20);
            pool.resize(2);
            await().atMost(WAIT).until(() -> pool.stats().workers() == 2);
            for (int i = 20; i < 30; i++) {
                TapClients.publish(publisher, "work/" + i, "x");
            }
            await().atMost(WAIT).until(() -> pool.stats().delivered() == 30);
            assertThat(pool.stats().workers()).isEqualTo(2);
        } finally {
            release.countDown();
            pool.close();
        }
    }

    @Test
    void aFailingWorkerIsRestartedAndCounted() {
        AtomicInteger handled = new AtomicInteger();
        Tap pool = taps.onMessage("risky/{what}", TapOptions.shared(3).retry(RetryPolicy.none()), (msg, params) -> {
            switch (params.get("what")) {
                case "boom" -> throw new IllegalStateException("boom");
                case "fatal" -> throw new AssertionError("fatal"); // not an Exception: the worker stops
                default -> handled.incrementAndGet();
            }
        });
        try {
            for (int i = 0; i < 10; i++) {
                TapClients.publish(publisher, "risky/" + (i % 3 == 0 ? "boom" : "ok"), "x");
            }
            TapClients.publish(publisher, "risky/fatal", "x");
            for (int i = 0; i < 5; i++) {
                TapClients.publish(publisher, "risky/ok", "x");
            }

            await().atMost(WAIT).until(() -> handled.get() == 11 && pool.stats().deadLettered() == 5);
            // A worker counts a message after its handler returns, and a restart after the failure.
            await().atMost(WAIT).untilAsserted(() -> {
                TapStats stats = pool.stats();
                assertThat(stats.failures()).isEqualTo(5);
                assertThat(stats.workerRestarts()).isEqualTo(4);
                assertThat(stats.delivered()).isEqualTo(11);
            });
            await().atMost(WAIT).until(() -> pool.stats().workers() == 3);
        } finally {
            pool.close();
        }
    }

    @Test
    void onlySharedTapsResize() {
        Tap ordered = taps.onMessage("fixed/#", (msg, params) -> {});
        try {
            assertThatThrownBy(() -> ordered.resize(2))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not shared");
        } finally {
            ordered.close();
        }
        assertThatThrownBy(() -> TapOptions.shared(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
