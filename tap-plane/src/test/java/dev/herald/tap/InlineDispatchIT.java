package dev.herald.tap;

import static dev.herald.tap.TapClients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.herald.mqtt.broker.EmbeddedBroker;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Inline dispatch runs the handler on the publishing connection's path, for measurement. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class InlineDispatchIT {

    private Taps taps;
    private EmbeddedBroker broker;
    private Mqtt5BlockingClient publisher;

    @BeforeAll
    void start() {
        taps = Taps.builder().dispatch(DispatchMode.INLINE).build();
        broker = EmbeddedBroker.builder().publishListener(taps::attach).start();
        publisher = TapClients.connect(broker, "inline-pub");
    }

    @AfterAll
    void stop() {
        TapClients.disconnectQuietly(publisher);
        broker.close();
    }

    @Test
    void anInlineTapRunsOnThePublishPathWithoutInbox() {
        Queue<String> threads = new ConcurrentLinkedQueue<>();
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        Tap tap = taps.onMessage("inline/{n}", (msg, params) -> {
            threads.add(Thread.currentThread().getName());
            seen.add(params.get("n"));
        });
        try {
            for (int i = 0; i < 100; i++) {
                TapClients.publishAcked(publisher, "inline/" + i, "x");
            }
            // QoS 1: the broker acknowledged each message after routing it, so the handler has run
            assertThat(seen).hasSize(100);
            assertThat(seen)
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 100)
                            .mapToObj(String::valueOf)
                            .toList());
            assertThat(threads).noneMatch(name -> name.contains("worker-dispatcher"));
            TapStats stats = tap.stats();
            assertThat(stats.dispatch()).isEqualTo(DispatchMode.INLINE);
            assertThat(stats.delivered()).isEqualTo(100);
            assertThat(stats.workers()).isZero();
            assertThat(stats.inboxCapacity()).isZero();
        } finally {
            tap.close();
        }
    }

    @Test
    void anInlineFailureIsCountedAndDeadLetteredAfterOneTry() throws Exception {
        Tap tap = taps.onMessage("inline-bad/+", (msg, params) -> {
            throw new IllegalStateException("inline failure");
        });
        try {
            TapClients.publishAcked(publisher, "inline-bad/1", "x");
            assertThat(tap.stats().failures()).isEqualTo(1);
            await().atMost(WAIT).until(() -> !lettersOf(tap).isEmpty());
            DeadLetter letter = lettersOf(tap).get(0);
            assertThat(letter.attempts()).isEqualTo(1);
            assertThat(letter.reason()).contains("inline failure");
        } finally {
            tap.close();
        }
    }

    private List<DeadLetter> lettersOf(Tap tap) throws Exception {
        return taps.deadLetters().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS).stream()
                .filter(letter -> letter.tapId() == tap.id())
                .toList();
    }

    @Test
    void behaviorsAndPoolsNeedActorDispatch() {
        assertThatThrownBy(() -> taps.onMessage("inline/b", Behaviors.<TapRequest>ignore()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inline");
        assertThatThrownBy(() -> taps.onMessage("inline/p", TapOptions.shared(2), (msg, params) -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inline");
        Tap actor = taps.onMessage("inline/a", TapOptions.ordered().dispatch(DispatchMode.ACTOR), (m, p) -> {});
        assertThat(actor.stats().dispatch()).isEqualTo(DispatchMode.ACTOR);
        actor.close();
    }
}
