package dev.herald.cluster;

import dev.herald.runtime.SingleOwner;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * One owner across the cluster: the behavior runs as a Pekko cluster singleton on the oldest node and
 * moves to the next oldest when that node leaves or is downed. {@link #start} returns the singleton's
 * proxy, which routes (and, while the singleton moves, buffers) messages from any node, so code that
 * holds the ref does not know it is clustered. A failure restarts the owner in place.
 *
 * <p>Every node calls {@code start} with the same behavior and name; the state the owner held is not
 * carried over when it moves (it starts again from the behavior). Messages sent to it from other nodes
 * must implement {@link dev.herald.runtime.CborSerializable}.
 */
public final class ClusterSingleOwner implements SingleOwner {

    private final ClusterSingleton singletons;

    public ClusterSingleOwner(ActorSystem<?> system) {
        this.singletons = ClusterSingleton.get(system);
    }

    @Override
    public <T> ActorRef<T> start(Behavior<T> behavior, String name) {
        Behavior<T> restarting = Behaviors.supervise(behavior).onFailure(Exception.class, SupervisorStrategy.restart());
        return singletons.init(SingletonActor.of(restarting, name));
    }

    @Override
    public boolean distributed() {
        return true;
    }
}
