package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.routing.TopicTree;
import java.util.Map;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Publishes the BrokerActor's subscription table to the connection actors. Only the BrokerActor
 * writes it, and what it writes is an immutable, structurally shared tree; readers take whatever
 * version is current without locks (invariant 5: no round trip through the BrokerActor to route).
 */
final class RoutingTable {

    private volatile TopicTree<RouteEntry> current = TopicTree.empty();
    /** A cluster node's peers by address (their BrokerNodes), written by this node's BrokerNode only. */
    private volatile Map<Address, ActorRef<BrokerNode.Command>> nodes = Map.of();

    TopicTree<RouteEntry> snapshot() {
        return current;
    }

    /** The BrokerNodes of the cluster by address: what a publish for sessions there is sent through. */
    Map<Address, ActorRef<BrokerNode.Command>> nodes() {
        return nodes;
    }

    /** Called by this node's BrokerNode only. */
    void nodes(Map<Address, ActorRef<BrokerNode.Command>> value) {
        nodes = value;
    }

    /** Called by the BrokerActor only. */
    void publish(TopicTree<RouteEntry> tree) {
        current = tree;
    }
}
