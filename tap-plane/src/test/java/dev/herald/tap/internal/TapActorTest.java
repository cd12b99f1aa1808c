package dev.herald.tap.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.mqtt.message.QoS;
import dev.herald.tap.DeadLetter;
import dev.herald.tap.RetryPolicy;
import dev.herald.tap.RouteParams;
import dev.herald.tap.TapMessage;
import dev.herald.tap.TapOptions;
import dev.herald.tap.TapSettings;
import dev.herald.tap.Taps;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The TapActor and the dead-letter store without a broker: messages offered straight to a tap. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
class TapActorTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder().build();

    private final TapSettings settings = Taps.builder()
            .retry(RetryPolicy.of(3, Duration.ofMillis(10)))
            .build()
            .settings();

    private static TapMessage message(String topic) {
        return new TapMessage(
                topic,
                ByteString.fromString(topic),
                QoS.AT_MOST_ONCE,
                false,
                "unit",
                List.of(),
                null,
                RouteParams.EMPTY);
    }

    @Test
    void anOrderedTapRetriesAMessageBeforeItTakesTheNext() {
        TestProbe<String> handled = testKit.createTestProbe();
        TestProbe<DeadLetterStore.Add> letters = testKit.createTestProbe();
        AtomicInteger triesOfA = new AtomicInteger();
        TapRuntime tap = new TapRuntime(
                1,
                "t/+",
                TapOptions.ordered(),
                new Handler.Sync((msg, params) -> {
                    if (msg.topic().equals("t/a") && triesOfA.incrementAndGet() < 3) {
                        throw new IllegalStateException("try " + triesOfA.get());
                    }
                    handled.ref().tell(msg.topic());
                }),
                settings,
                letters.ref()::tell,
                closed -> {});
        tap.start(testKit.system(), DispatcherSelector.defaultDispatcher(), "ordered-retry");

        assertThat(tap.offer(message("t/a"))).isTrue();
        assertThat(tap.offer(message("t/b"))).isTrue();

        handled.expectMessage(WAIT, "t/a");
        handled.expectMessage(WAIT, "t/b");
        assertThat(tap.stats().retries()).isEqualTo(2);
        assertThat(tap.stats().workerRestarts()).isEqualTo(2);
        letters.expectNoMessage(Duration.ofMillis(50));
        tap.close();
    }

    @Test
    void theLastFailedTryIsHandedToTheDeadLetters() {
        TestProbe<DeadLetterStore.Add> letters = testKit.createTestProbe();
        TapRuntime tap = new TapRuntime(
                2,
                "d/{id}",
                TapOptions.ordered().retry(RetryPolicy.of(2, Duration.ofMillis(5))),
                new Handler.Sync((msg, params) -> {
                    throw new IllegalArgumentException("never");
                }),
                settings,
                letters.ref()::tell,
                closed -> {});
        tap.start(testKit.system(), DispatcherSelector.defaultDispatcher(), "dead");

        tap.offer(message("d/1"));

        DeadLetterStore.Add add = letters.expectMessageClass(DeadLetterStore.Add.class, WAIT);
        assertThat(add.attempts()).isEqualTo(2);
        assertThat(add.route()).isEqualTo("d/{id}");
        assertThat(add.reason()).contains("never");
        assertThat(tap.stats().deadLettered()).isEqualTo(1);
        tap.close();
    }

    @Test
    void theDeadLetterStoreKeepsTheNewestAndGivesEachOutOnce() {
        ActorRef<DeadLetterStore.Command> store =
                testKit.spawn(DeadLetterStore.create(2, Duration.ofSeconds(10), letter -> {}));
        for (String topic : List.of("x/1", "x/2", "x/3")) {
            store.tell(new DeadLetterStore.Add(1, "x/+", message(topic), "failed", 3));
        }
        TestProbe<List<DeadLetter>> list = testKit.createTestProbe();
        store.tell(new DeadLetterStore.ListAll(list.ref()));
        List<DeadLetter> kept = list.receiveMessage(WAIT);
        assertThat(kept).extracting(l -> l.message().topic()).containsExactly("x/2", "x/3");

        TestProbe<Optional<DeadLetter>> taken = testKit.createTestProbe();
        store.tell(new DeadLetterStore.Take(kept.get(0).id(), taken.ref()));
        assertThat(taken.receiveMessage(WAIT)).contains(kept.get(0));
        store.tell(new DeadLetterStore.Take(kept.get(0).id(), taken.ref()));
        assertThat(taken.receiveMessage(WAIT)).isEmpty();
        store.tell(new DeadLetterStore.ListAll(list.ref()));
        assertThat(list.receiveMessage(WAIT))
                .extracting(l -> l.message().topic())
                .containsExactly("x/3");
    }

    @Test
    void theRouteParametersReachTheHandler() {
        TestProbe<Map<String, String>> seen = testKit.createTestProbe();
        TapRuntime tap = new TapRuntime(
                3,
                "p/{a}/{b}",
                TapOptions.ordered(),
                new Handler.Sync((msg, params) -> seen.ref().tell(params.asMap())),
                settings,
                add -> {},
                closed -> {});
        tap.start(testKit.system(), DispatcherSelector.defaultDispatcher(), "params");
        tap.offer("unit", dev.herald.mqtt.message.Publish.atMostOnce("p/1/2", ByteString.fromString("x")));
        tap.offer("unit", dev.herald.mqtt.message.Publish.atMostOnce("q/1/2", ByteString.fromString("x")));
        assertThat(seen.receiveMessage(WAIT)).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
        seen.expectNoMessage(Duration.ofMillis(50));
        tap.close();
    }
}
