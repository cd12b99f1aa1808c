package dev.herald.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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

/**
 * The pattern every Herald actor test follows: one ActorTestKit per class (PER_CLASS, so no
 * ActorSystem leaks per method), a TestProbe as the {@code replyTo} of each request, and waiting
 * only through {@code expectMessage} with a deadline. LogCapturingExtension prints the actors' logs
 * only when a test fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
class SingleOwnerTest {

    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder().build();

    /** A request/reply protocol: the owner of a running total. */
    static final class Total {
        interface Command {}

        record Add(long amount, ActorRef<Sum> replyTo) implements Command {}

        record Sum(long value) {}

        static Behavior<Command> create(long start) {
            return Behaviors.receive(Command.class)
                    .onMessage(Add.class, add -> {
                        long sum = start + add.amount();
                        add.replyTo().tell(new Sum(sum));
                        return create(sum);
                    })
                    .build();
        }
    }

    @Test
    void localOwnerAnswersRequestsInOrder() {
        ActorRef<Total.Command> owner = SingleOwner.local(testKit.system()).start(Total.create(0), "total-a");
        TestProbe<Total.Sum> probe = testKit.createTestProbe();

        owner.tell(new Total.Add(2, probe.ref()));
        owner.tell(new Total.Add(3, probe.ref()));

        probe.expectMessage(Duration.ofSeconds(3), new Total.Sum(2));
        probe.expectMessage(Duration.ofSeconds(3), new Total.Sum(5));
    }

    @Test
    void ownersWithDifferentNamesAreDifferentActors() {
        SingleOwner owners = SingleOwner.local(testKit.system());
        ActorRef<Total.Command> a = owners.start(Total.create(10), "total-b");
        ActorRef<Total.Command> b = owners.start(Total.create(20), "total-c");
        TestProbe<Total.Sum> probe = testKit.createTestProbe();

        a.tell(new Total.Add(1, probe.ref()));
        assertThat(probe.receiveMessage(Duration.ofSeconds(3)).value()).isEqualTo(11);
        b.tell(new Total.Add(1, probe.ref()));
        assertThat(probe.receiveMessage(Duration.ofSeconds(3)).value()).isEqualTo(21);
        assertThat(a).isNotEqualTo(b);
    }
}
