package dev.herald.tap;

import static dev.herald.tap.TapClients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.herald.mqtt.broker.EmbeddedBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** A failing handler is tried again with backoff, then its message is a dead letter that can be replayed. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class RetryIT {

    private static final RetryPolicy FAST = RetryPolicy.of(3, Duration.ofMillis(20));

    private Taps taps;
    private EmbeddedBroker broker;
    private Mqtt5BlockingClient publisher;

    @BeforeAll
    void start() {
        taps = Taps.builder().retry(FAST).handlerTimeout(Duration.ofMillis(300)).build();
        broker = EmbeddedBroker.builder().publishListener(taps::attach).start();
        publisher = TapClients.connect(broker, "retry-pub");
    }

    @AfterAll
    void stop() {
        TapClients.disconnectQuietly(publisher);
        broker.close();
    }

    private List<DeadLetter> deadLettersOf(Tap tap) throws Exception {
        return taps.deadLetters().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS).stream()
                .filter(letter -> letter.tapId() == tap.id())
                .toList();
    }

    @Test
    void aHandlerThatFailsTwiceSucceedsOnTheThirdTry() {
        Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();
        Tap tap = taps.onMessage("flaky/{id}", (msg, params) -> {
            if (tries.computeIfAbsent(params.get("id"), id -> new AtomicInteger())
                            .incrementAndGet()
                    < 3) {
                throw new IllegalStateException("not yet");
            }
        });

        TapClients.publish(publisher, "flaky/1", "x");

        await().atMost(WAIT).until(() -> tap.stats().delivered() == 1);
        TapStats stats = tap.stats();
        assertThat(stats.failures()).isEqualTo(2);
        assertThat(stats.retries()).isEqualTo(2);
        assertThat(stats.deadLettered()).isZero();
        assertThat(stats.workerRestarts()).isEqualTo(2);
        tap.close();
    }

    @Test
    void afterTheLastTryTheMessageIsADeadLetterAndCanBeReplayed() throws Exception {
        AtomicBoolean broken = new AtomicBoolean(true);
        Queue<String> handled = new ConcurrentLinkedQueue<>();
        Tap tap = taps.onMessage("orders/{id}", (msg, params) -> {
            if (broken.get() && params.get("id").equals("7")) {
                throw new IllegalStateException("database down");
            }
            handled.add(params.get("id"));
        });

        TapClients.publish(publisher, "orders/7", "seven");
        TapClients.publish(publisher, "orders/8", "eight");

        await().atMost(WAIT).until(() -> tap.stats().deadLettered() == 1 && handled.contains("8"));
        assertThat(tap.stats().failures()).isEqualTo(3);
        assertThat(tap.stats().retries()).isEqualTo(2);
        List<DeadLetter> letters = deadLettersOf(tap);
        assertThat(letters).hasSize(1);
        DeadLetter letter = letters.get(0);
        assertThat(letter.route()).isEqualTo("orders/{id}");
        assertThat(letter.attempts()).isEqualTo(3);
        assertThat(letter.reason()).contains("IllegalStateException").contains("database down");
        assertThat(letter.message().topic()).isEqualTo("orders/7");
        assertThat(letter.message().payloadUtf8()).isEqualTo("seven");
        assertThat(letter.message().param("id")).isEqualTo("7");

        broken.set(false);
        assertThat(taps.replay(letter).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isTrue();
        await().atMost(WAIT).until(() -> handled.contains("7"));
        assertThat(handled).containsExactly("8", "7");
        assertThat(deadLettersOf(tap)).isEmpty();
        // a letter is replayed once
        assertThat(taps.replay(letter).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isFalse();
        tap.close();
    }

    @Test
    void aFailedStageAndAStageThatNeverCompletesAreRetriedAndDeadLettered() throws Exception {
        Tap tap = taps.onMessageAsync(
                "jobs/{kind}",
                (msg, params) -> params.get("kind").equals("fail")
                        ? CompletableFuture.failedFuture(new IllegalArgumentException("no such job"))
                        : new CompletableFuture<Void>());

        TapClients.publish(publisher, "jobs/fail", "x");
        TapClients.publish(publisher, "jobs/hang", "y");

        await().atMost(WAIT).until(() -> tap.stats().deadLettered() == 2);
        List<DeadLetter> letters = deadLettersOf(tap);
        assertThat(letters)
                .extracting(DeadLetter::reason)
                .satisfiesExactly(first -> assertThat(first).contains("no such job"), second -> assertThat(second)
                        .contains("no answer within"));
        assertThat(tap.stats().failures()).isEqualTo(6);
        assertThat(tap.stats().delivered()).isZero();
        tap.close();
    }

    @Test
    void replayAllOffersEveryLetterToItsTap() throws Exception {
        AtomicBoolean broken = new AtomicBoolean(true);
        AtomicInteger handled = new AtomicInteger();
        Tap tap = taps.onMessage("batch/+", TapOptions.ordered().retry(RetryPolicy.none()), (msg, params) -> {
            if (broken.get()) {
                throw new IllegalStateException("broken");
            }
            handled.incrementAndGet();
        });
        for (int i = 0; i < 5; i++) {
            TapClients.publish(publisher, "batch/" + i, "x");
        }
        await().atMost(WAIT).until(() -> tap.stats().deadLettered() == 5);
        assertThat(tap.stats().retries()).isZero();

        broken.set(false);
        int replayed = taps.replayAll().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(replayed).isGreaterThanOrEqualTo(5);
        await().atMost(WAIT).until(() -> handled.get() == 5);
        assertThat(deadLettersOf(tap)).isEmpty();
        tap.close();
    }
}
