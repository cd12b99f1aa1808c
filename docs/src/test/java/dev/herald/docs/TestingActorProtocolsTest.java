package dev.herald.docs;

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

// #testing-actor-protocols
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // one ActorSystem for the class, not one per method
@ExtendWith(TestKitJUnit5Extension.class) // starts and stops the testKit below
@ExtendWith(LogCapturingExtension.class) // actor logs are printed only for a failing test
class TestingActorProtocolsTest {

    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder().build();

    /** The protocol under test: count messages per topic, answer on request. */
    static final class TopicCounter {
        interface Command {}

        record Seen(String topic) implements Command {}

        record Count(String topic, ActorRef<Counted> replyTo) implements Command {}

        record Counted(String topic, int count) {}

        static Behavior<Command> create() {
            return counting(java.util.Map.of());
        }

        private static Behavior<Command> counting(java.util.Map<String, Integer> counts) {
            return Behaviors.receive(Command.class)
                    .onMessage(Seen.class, seen -> {
                        var next = new java.util.HashMap<>(counts);
                        next.merge(seen.topic(), 1, Integer::sum);
                        return counting(java.util.Map.copyOf(next));
                    })
                    .onMessage(Count.class, count -> {
                        count.replyTo().tell(new Counted(count.topic(), counts.getOrDefault(count.topic(), 0)));
                        return Behaviors.same();
                    })
                    .build();
        }
    }

    @Test
    void countsWhatItSaw() {
        ActorRef<TopicCounter.Command> counter = testKit.spawn(TopicCounter.create());
        TestProbe<TopicCounter.Counted> probe = testKit.createTestProbe();

        counter.tell(new TopicCounter.Seen("sensors/1"));
        counter.tell(new TopicCounter.Seen("sensors/1"));
        counter.tell(new TopicCounter.Count("sensors/1", probe.ref()));

        // wait with a deadline, never with a fixed pause
        probe.expectMessage(Duration.ofSeconds(3), new TopicCounter.Counted("sensors/1", 2));
    }

    @Test
    void answersZeroForAnUnseenTopic() {
        ActorRef<TopicCounter.Command> counter = testKit.spawn(TopicCounter.create());
        TestProbe<TopicCounter.Counted> probe = testKit.createTestProbe();

        counter.tell(new TopicCounter.Count("nothing/here", probe.ref()));

        probe.expectMessage(Duration.ofSeconds(3), new TopicCounter.Counted("nothing/here", 0));
    }
}
// #testing-actor-protocols
