package dev.herald.mqtt.broker.internal;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * Where this node's connections send the BrokerActor their requests: its single-owner ref at first;
 * on a cluster node, the BrokerActor itself once it has made itself known to this node's {@link
 * BrokerNode} (the only writer), so that after a fail-over nothing goes to where it was.
 */
final class BrokerLocation {

    private volatile ActorRef<BrokerActor.Command> current;

    BrokerLocation(ActorRef<BrokerActor.Command> initial) {
        this.current = initial;
    }

    ActorRef<BrokerActor.Command> current() {
        return current;
    }

    /** Called by this node's BrokerNode only. */
    void moveTo(ActorRef<BrokerActor.Command> broker) {
        current = broker;
    }
}
