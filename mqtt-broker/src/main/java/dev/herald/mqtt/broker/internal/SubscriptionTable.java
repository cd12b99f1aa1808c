package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.broker.BrokerSettings;
import dev.herald.mqtt.message.SharedFilter;
import dev.herald.mqtt.routing.TopicTree;

/**
 * The BrokerActor's subscription table: the topic tree of subscribers and shared groups, and the
 * routing snapshot the connections read, published by {@link #publish()} after a change.
 */
final class SubscriptionTable {

    private final BrokerSettings settings;
    private final BrokerMetrics metrics;
    private final RoutingTable routing;
    private TopicTree<RouteEntry> tree = TopicTree.empty();

    SubscriptionTable(BrokerSettings settings, BrokerMetrics metrics, RoutingTable routing) {
        this.settings = settings;
        this.metrics = metrics;
        this.routing = routing;
    }

    TopicTree<RouteEntry> tree() {
        return tree;
    }

    /** Adds or replaces a client's subscription; returns whether it is a shared one. */
    boolean add(String clientId, Subscriber subscriber) {
        SharedFilter shared = SharedFilter.parse(subscriber.options().filter());
        if (shared == null) {
            tree = tree.subscribe(subscriber.options().filter(), clientId, subscriber);
            return false;
        }
        String key = SharedGroup.key(shared.group());
        SharedGroup group = tree.get(shared.filter(), key) instanceof SharedGroup g
                ? g
                : SharedGroup.empty(
                        shared.group(),
                        shared.filter(),
                        settings.sharedStrategy(),
                        metrics.sharedGroup(shared.group(), shared.filter()));
        tree = tree.subscribe(
                shared.filter(), key, group.with(new SharedGroup.Member(clientId, subscriber, subscriber.load())));
        return true;
    }

    void remove(String filter, String clientId) {
        SharedFilter shared = SharedFilter.parse(filter);
        if (shared == null) {
            tree = tree.unsubscribe(filter, clientId);
            return;
        }
        String key = SharedGroup.key(shared.group());
        if (tree.get(shared.filter(), key) instanceof SharedGroup g) {
            SharedGroup left = g.without(clientId);
            tree = left.size() == 0
                    ? tree.unsubscribe(shared.filter(), key)
                    : tree.subscribe(shared.filter(), key, left);
        }
    }

    /** Makes the table as it is now the snapshot connections route against. */
    void publish() {
        routing.publish(tree);
    }
}
