package dev.herald.mqtt.broker.internal;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * Where this node's connections send the BrokerActor their requests: its single-owner ref at first;
 * on a cluster node, the BrokerActor itself once it has made itself known to this node's {@link
 * BrokerNode} (the only writer), so that after a fail-over nothing goes to where it was.
 */
final class BrokerLocation {

    private volatile ActorRef<BrokerActor.Command> current;
    private final boolean mayMove;

    /** {@code mayMove}: the BrokerActor may run on another node, and move (a distributed owner). */
    BrokerLocation(ActorRef<BrokerActor.Command> initial, boolean mayMove) {
        this.current = initial;
        this.mayMove = mayMove;
    }

    /** Whether requests may be lost with a BrokerActor that moves, and must then be sent again. */
    boolean mayMove() {
        return mayMove;
    }

    ActorRef<BrokerActor.Command> current() {
        return current;
    }

    /** Called by this node's BrokerNode only. */
    void moveTo(ActorRef<BrokerActor.Command> broker) {
        current = broker;
    }
}
