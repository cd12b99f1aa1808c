package dev.herald.runtime;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;

/**
 * Starts the one actor that owns a piece of state. Not clustered, the owner is spawned in this
 * process; the cluster module gives the same behavior one owner across nodes (a cluster singleton).
 * Code that holds the returned ref does not know which.
 */
@FunctionalInterface
public interface SingleOwner {

    <T> ActorRef<T> start(Behavior<T> behavior, String name);

    /**
     * Whether the owner may run in another process than its callers: then nothing but messages may
     * pass between it and them (no shared objects), and what it publishes must be sent to every node.
     */
    default boolean distributed() {
        return false;
    }

    /** Owners spawned as system actors of this ActorSystem. */
    static SingleOwner local(ActorSystem<?> system) {
        return new SingleOwner() {
            @Override
            public <T> ActorRef<T> start(Behavior<T> behavior, String name) {
                return system.systemActorOf(behavior, name, Props.empty());
            }
        };
    }
}
