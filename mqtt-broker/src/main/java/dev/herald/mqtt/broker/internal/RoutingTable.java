package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.routing.TopicTree;

/**
 * Publishes the BrokerActor's subscription table to the connection actors. Only the BrokerActor
 * writes it, and what it writes is an immutable, structurally shared tree; readers take whatever
 * version is current without locks (invariant 5: no round trip through the BrokerActor to route).
 */
final class RoutingTable {

    private volatile TopicTree<RouteEntry> current = TopicTree.empty();

    TopicTree<RouteEntry> snapshot() {
        return current;
    }

    /** Called by the BrokerActor only. */
    void publish(TopicTree<RouteEntry> tree) {
        current = tree;
    }
}
