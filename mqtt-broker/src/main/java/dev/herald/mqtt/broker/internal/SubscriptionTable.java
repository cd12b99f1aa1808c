package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.broker.BrokerSettings;
import dev.herald.mqtt.message.RetainHandling;
import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.message.reason.SubAckReasonCode;
import dev.herald.mqtt.message.reason.UnsubAckReasonCode;
import dev.herald.mqtt.routing.TopicTree;
import dev.herald.mqtt.store.internal.StoredSession.StoredSubscription;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;

/**
 * The BrokerActor's subscription table: SUBSCRIBE and UNSUBSCRIBE against the topic tree of
 * subscribers and shared groups (and each session's own list of its filters), and the routing
 * snapshot the connections read, published by {@link #publish()} after a change (in a cluster, sent to
 * every node's replica).
 */
final class SubscriptionTable {

    private final BrokerSettings settings;
    private final RoutingTable routing;
    /** Null when the BrokerActor runs beside its clients: the snapshot is then {@code routing}. */
    private final Replication replication;

    private final RouteTree tree;
    private long count;

    SubscriptionTable(BrokerSettings settings, BrokerMetrics metrics, RoutingTable routing, Replication replication) {
        this.settings = settings;
        this.routing = routing;
        this.replication = replication;
        this.tree = new RouteTree(settings, metrics);
    }

    TopicTree<RouteEntry> tree() {
        return tree.tree();
    }

    /** Subscriptions of every session. */
    long count() {
        return count;
    }

    /**
     * A SUBSCRIBE of {@code client} (null when its session is gone): the SUBACK codes, one per filter,
     * and the retained messages its new subscriptions get added to {@code retainedOut}.
     */
    List<SubAckReasonCode> subscribe(
            BrokerActor.Subscribe s,
            ClientSession client,
            RetainedMessages retained,
            List<SessionActor.Deliver> retainedOut,
            Logger log) {
        List<SubAckReasonCode> codes = new ArrayList<>(s.requested().size());
        // The session the subscriptions deliver to: none when it is gone (or, taken over, never started).
        ActorRef<SessionActor.Command> session =
                client == null ? null : s.session() != null ? s.session() : client.session;
        for (BrokerActor.Requested r : s.requested()) {
            Subscription options = r.options();
            boolean existed = client != null && client.filters.containsKey(options.filter());
            if (r.refusal() != null || session == null) {
                codes.add(r.refusal() != null ? r.refusal() : SubAckReasonCode.UNSPECIFIED_ERROR);
                continue;
            }
            if (!existed && client.filters.size() >= settings.maxSubscriptionsPerClient()) {
                log.info(
                        "Client '{}' is at its {} subscriptions: refused '{}'",
                        s.clientId(),
                        settings.maxSubscriptionsPerClient(),
                        options.filter());
                codes.add(SubAckReasonCode.QUOTA_EXCEEDED);
                continue;
            }
            codes.add(SubAckReasonCode.of(options.qos().value()));
            if (add(s.clientId(), client, new StoredSubscription(options, s.subscriptionId()), session)) {
                continue; // no retained messages for a shared subscription (MQTT 5.0 section 3.3.1.3)
            }
            boolean sendRetained = options.retainHandling() == RetainHandling.SEND_ON_SUBSCRIBE
                    || (options.retainHandling() == RetainHandling.SEND_IF_NEW_SUBSCRIPTION && !existed);
            if (sendRetained) {
                List<Integer> ids = s.subscriptionId() > 0 ? List.of(s.subscriptionId()) : List.of();
                retained.forSubscription(options, ids, retainedOut);
            }
        }
        return codes;
    }

    /** A subscription of a session a node ran when this BrokerActor started (after a fail-over). */
    void rejoin(String clientId, ClientSession client, BrokerNode.RouteChange route) {
        add(clientId, client, new StoredSubscription(route.options(), route.subscriptionId()), client.session);
    }

    /** A subscription of a session restored from the store. */
    void restore(String clientId, ClientSession client, StoredSubscription sub) {
        add(clientId, client, sub, client.session);
    }

    /** Adds or replaces one subscription, delivered to {@code session}; returns whether it is a shared one. */
    private boolean add(
            String clientId, ClientSession client, StoredSubscription sub, ActorRef<SessionActor.Command> session) {
        if (client.filters.put(sub.options().filter(), sub) == null) {
            count++;
        }
        return add(clientId, new Subscriber(session, sub.options(), sub.subscriptionId(), client.load));
    }

    /** An UNSUBSCRIBE: the UNSUBACK codes, one per filter. */
    List<UnsubAckReasonCode> unsubscribe(BrokerActor.Unsubscribe u, ClientSession client) {
        List<UnsubAckReasonCode> codes = new ArrayList<>(u.filters().size());
        for (String filter : u.filters()) {
            boolean existed = client != null && client.filters.remove(filter) != null;
            if (existed) {
                remove(filter, u.clientId());
                count--;
            }
            codes.add(existed ? UnsubAckReasonCode.SUCCESS : UnsubAckReasonCode.NO_SUBSCRIPTION_EXISTED);
        }
        return codes;
    }

    /** Every subscription of a session that ends. */
    void removeAll(String clientId, ClientSession client) {
        for (String filter : client.filters.keySet()) {
            remove(filter, clientId);
        }
        count -= client.filters.size();
    }

    private boolean add(String clientId, Subscriber subscriber) {
        if (replication != null) {
            replication.added(clientId, subscriber);
        }
        return tree.add(clientId, subscriber);
    }

    private void remove(String filter, String clientId) {
        if (replication != null) {
            replication.removed(clientId, filter);
        }
        tree.remove(filter, clientId);
    }

    /** Makes the table as it is now the snapshot connections route against (on every node). */
    void publish() {
        if (replication != null) {
            replication.flush();
        } else {
            routing.publish(tree.tree());
        }
    }
}
