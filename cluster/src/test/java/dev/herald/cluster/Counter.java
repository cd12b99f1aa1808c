package dev.herald.cluster;

import dev.herald.runtime.CborSerializable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** A single owner for the tests: a counter that answers with its value and the node it runs on. */
final class Counter {

    interface Command extends CborSerializable {}

    record Increment(ActorRef<Value> replyTo) implements Command {}

    /** Fails the counter, which its supervision restarts from zero. */
    enum Fail implements Command {
        INSTANCE
    }

    record Value(long count, String node) implements CborSerializable {}

    private Counter() {}

    static Behavior<Command> create() {
        return Behaviors.setup(context -> counting(context.getSystem().address().toString(), 0));
    }

    private static Behavior<Command> counting(String node, long count) {
        return Behaviors.receive(Command.class)
                .onMessage(Increment.class, increment -> {
                    increment.replyTo().tell(new Value(count + 1, node));
                    return counting(node, count + 1);
                })
                .onMessageEquals(Fail.INSTANCE, () -> {
                    throw new IllegalStateException("told to fail");
                })
                .build();
    }
}
