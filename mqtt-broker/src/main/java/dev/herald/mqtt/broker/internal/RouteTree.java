package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.broker.BrokerSettings;
import dev.herald.mqtt.message.SharedFilter;
import dev.herald.mqtt.routing.TopicTree;

/**
 * The routing snapshot's topic tree as its one owner changes it: subscribers by (filter, client id),
 * and the members of shared groups folded into one entry per (filter, group). The BrokerActor owns one
 * (its subscription table); in a cluster each node's {@link BrokerNode} owns a replica of it.
 */
final class RouteTree {

    private final BrokerSettings settings;
    private final BrokerMetrics metrics;
    private TopicTree<RouteEntry> tree = TopicTree.empty();

    RouteTree(BrokerSettings settings, BrokerMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    TopicTree<RouteEntry> tree() {
        return tree;
    }

    /** Adds or replaces one client's subscription; returns whether it is a shared one. */
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

    /** Removes one client's subscription to {@code filter} (as the client gave it, {@code $share/...} too). */
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

    void clear() {
        tree = TopicTree.empty();
    }
}
