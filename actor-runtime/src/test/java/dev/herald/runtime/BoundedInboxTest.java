package dev.herald.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
class BoundedInboxTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder().build();

    interface Command {}

    record Item(int n) implements Command {}

    record Ping(String what) implements Command {}

    /** Reports every message; the first item waits for the gate, so the rest pile up behind it. */
    static Behavior<Command> gated(CountDownLatch gate, ActorRef<Object> seen) {
        return Behaviors.receive(Command.class)
                .onMessage(Item.class, item -> {
                    seen.tell(item);
                    if (item.n() == 0) {
                        seen.tell("blocked");
                        gate.await(10, TimeUnit.SECONDS);
                    }
                    return Behaviors.same();
                })
                .onMessage(Ping.class, ping -> {
                    seen.tell(ping);
                    return Behaviors.same();
                })
                .build();
    }

    @Test
    void aFullInboxDropsTheNewestAndCountsIt() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        TestProbe<Object> seen = testKit.createTestProbe();
        BoundedInbox<Command> inbox =
                BoundedInbox.spawn(3, Item.class, gated(gate, seen.ref()), b -> testKit.spawn(b, "gated"));

        assertThat(inbox.offer(new Item(0))).isTrue();
        seen.expectMessage(WAIT, new Item(0));
        seen.expectMessage(WAIT, "blocked");
        assertThat(inbox.depth()).isZero();

        assertThat(inbox.offer(new Item(1))).isTrue();
        assertThat(inbox.offer(new Item(2))).isTrue();
        assertThat(inbox.offer(new Item(3))).isTrue();
        assertThat(inbox.offer(new Item(4))).isFalse();
        assertThat(inbox.offer(new Item(5))).isFalse();
        assertThat(inbox.depth()).isEqualTo(3);
        assertThat(inbox.dropped()).isEqualTo(2);

        // Uncounted messages pass through ref() whatever the depth.
        inbox.ref().tell(new Ping("control"));
        gate.countDown();

        seen.expectMessage(WAIT, new Item(1));
        seen.expectMessage(WAIT, new Item(2));
        seen.expectMessage(WAIT, new Item(3));
        seen.expectMessage(WAIT, new Ping("control"));
        assertThat(inbox.depth()).isZero();
        assertThat(inbox.offer(new Item(6))).isTrue();
        seen.expectMessage(WAIT, new Item(6));
        assertThat(inbox.dropped()).isEqualTo(2);
    }

    @Test
    void keptMessagesStayInTheCountUntilReleased() {
        TestProbe<Object> seen = testKit.createTestProbe();
        BoundedInbox<Command> inbox = BoundedInbox.spawn(
                1, Item.class, gated(new CountDownLatch(0), seen.ref()), b -> testKit.spawn(b, "kept"));
        inbox.keep();
        assertThat(inbox.offer(new Item(1))).isFalse();
        inbox.release();
        assertThat(inbox.offer(new Item(1))).isTrue();
        seen.expectMessage(WAIT, new Item(1));
    }

    @Test
    void onlyCountedMessagesAreOffered() {
        BoundedInbox<Command> inbox =
                BoundedInbox.spawn(1, Item.class, Behaviors.ignore(), b -> testKit.spawn(b, "typed"));
        assertThatThrownBy(() -> inbox.offer(new Ping("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Item");
        assertThatThrownBy(() -> BoundedInbox.spawn(0, Item.class, Behaviors.<Command>ignore(), b -> null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
