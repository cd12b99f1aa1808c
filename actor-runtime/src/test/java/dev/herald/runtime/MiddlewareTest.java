package dev.herald.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** A filter passes, changes or replaces messages of its type; others pass untouched, across behavior changes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LogCapturingExtension.class)
class MiddlewareTest {

    private final ActorTestKit testKit = ActorTestKit.create();

    @AfterAll
    void stop() {
        testKit.shutdownTestKit();
    }

    interface Command {}

    record Text(String value) implements Command {}

    record Rejected(String value, String why) implements Command {}

    record Flip() implements Command {}

    /** Echoes what it gets, tagged with its state, and flips between two behaviors on Flip. */
    private static Behavior<Command> echo(ActorRef<String> out, String state) {
        return Behaviors.receive(Command.class)
                .onMessage(Text.class, t -> {
                    out.tell(state + ":" + t.value());
                    return Behaviors.same();
                })
                .onMessage(Rejected.class, r -> {
                    out.tell(state + ":rejected " + r.value() + " (" + r.why() + ")");
                    return Behaviors.same();
                })
                .onMessage(Flip.class, f -> echo(out, state.equals("a") ? "b" : "a"))
                .build();
    }

    @Test
    void passesChangesAndRejectsEvenAfterTheBehaviorChanges() {
        TestProbe<String> out = testKit.createTestProbe();
        MessageFilter<Command, Text> filter = t -> {
            if (t.value().startsWith("bad")) {
                return new Rejected(t.value(), "starts with bad");
            }
            return t.value().equals("lower") ? new Text("LOWER") : t;
        };
        ActorRef<Command> actor = testKit.spawn(Middleware.filter(Text.class, filter, echo(out.ref(), "a")));

        actor.tell(new Text("hello"));
        actor.tell(new Text("lower"));
        actor.tell(new Text("bad-one"));
        actor.tell(new Flip());
        actor.tell(new Text("bad-two"));
        actor.tell(new Rejected("direct", "not filtered"));

        List<String> seen = List.of(
                out.receiveMessage(),
                out.receiveMessage(),
                out.receiveMessage(),
                out.receiveMessage(),
                out.receiveMessage());
        assertThat(seen)
                .containsExactly(
                        "a:hello",
                        "a:LOWER",
                        "a:rejected bad-one (starts with bad)",
                        "b:rejected bad-two (starts with bad)",
                        "b:rejected direct (not filtered)");
    }
}
