package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.routing.MatchVisitor;
import dev.herald.mqtt.routing.TopicTree;
import dev.herald.mqtt.store.internal.OnCommit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Hands a message to every session with a matching subscription, once per client: overlapping
 * subscriptions of one client give one delivery at the highest of their QoS with all their
 * Subscription Identifiers (MQTT 5.0 section 3.3.4). No Local subscriptions skip the publisher. Each
 * shared subscription group matched gets one copy, for the member it chooses, delivered on its own.
 */
final class Router {

    private Router() {}

    /** Returns the number of sessions the message was handed to. */
    static int route(TopicTree<RouteEntry> tree, Publish message, String publisherClientId) {
        return route(tree, message, publisherClientId, null);
    }

    /**
     * Routes; with {@code ack} (sync durability), each persistent session that gets the message at
     * QoS 1 or 2 answers it once the message is on disk, counted in {@code ack.expected}.
     */
    static int route(TopicTree<RouteEntry> tree, Publish message, String publisherClientId, DurableAck ack) {
        return route(tree, Map.of(), message, publisherClientId, ack);
    }

    /**
     * Routes on a cluster node: the message goes to the sessions on each other node in one message to
     * that node's BrokerNode ({@code nodes}), which hands it to them; so each node is sent it once, and
     * a session gets what one publisher sends in the order it was sent (always by the same path).
     */
    static int route(
            TopicTree<RouteEntry> tree,
            Map<Address, ActorRef<BrokerNode.Command>> nodes,
            Publish message,
            String publisherClientId,
            DurableAck ack) {
        Targets targets = new Targets(message, publisherClientId, ack);
        tree.match(message.topic(), targets);
        if (targets.byClient == null && targets.single == null) {
            return targets.sharedDeliveries;
        }
        Map<ActorRef<BrokerNode.Command>, List<BrokerNode.Delivery>> elsewhere = null;
        if (targets.byClient == null) {
            elsewhere = deliver(targets.single, nodes, message, ack, null);
        } else {
            for (Target target : targets.byClient.values()) {
                elsewhere = deliver(target, nodes, message, ack, elsewhere);
            }
        }
        if (elsewhere != null) {
            elsewhere.forEach((node, deliveries) -> node.tell(new BrokerNode.Deliveries(message, deliveries)));
        }
        return (targets.byClient == null ? 1 : targets.byClient.size()) + targets.sharedDeliveries;
    }

    /**
     * Delivers to a session here, or adds it to what goes to its node ({@code elsewhere}, made when
     * first needed and returned).
     */
    private static Map<ActorRef<BrokerNode.Command>, List<BrokerNode.Delivery>> deliver(
            Target target,
            Map<Address, ActorRef<BrokerNode.Command>> nodes,
            Publish message,
            DurableAck ack,
            Map<ActorRef<BrokerNode.Command>, List<BrokerNode.Delivery>> elsewhere) {
        ActorRef<BrokerNode.Command> node = null;
        if (!nodes.isEmpty()) { // a cluster node: is the session on another node?
            Address address = target.first.session().path().address();
            node = address.hasLocalScope() ? null : nodes.get(address);
        }
        if (node == null) {
            target.deliver(message, ack);
            return elsewhere;
        }
        BrokerNode.Delivery delivery = target.delivery(message, ack);
        if (elsewhere == null) {
            elsewhere = new HashMap<>();
        }
        elsewhere.computeIfAbsent(node, n -> new ArrayList<>(4)).add(delivery);
        return elsewhere;
    }

    /**
     * Hands a message to one member of a shared group, other than {@code excluded} (the session it was
     * taken from, or null); returns whether a member took it.
     */
    static boolean deliverShared(
            SharedGroup group,
            Publish message,
            String publisherClientId,
            ActorRef<SessionActor.Command> excluded,
            OnCommit ack) {
        return deliverShared(group.choose(publisherClientId, excluded), group, message, ack);
    }

    private static boolean deliverShared(SharedGroup.Member member, SharedGroup group, Publish message, OnCommit ack) {
        if (member == null) {
            group.stats().recordDropped();
            SessionRecords.release(ack);
            return false;
        }
        Subscriber s = member.subscriber();
        s.session()
                .tell(new SessionActor.Deliver(
                        message,
                        s.options().qos(),
                        s.options().retainAsPublished(),
                        false,
                        member.subscriptionIds(),
                        group,
                        false,
                        ack));
        return true;
    }

    /**
     * The acknowledgement a delivery takes: only the QoS 1/2 copy of a persistent session (stored) or
     * of a session on another node (sent there) is waited for.
     */
    private static OnCommit ackFor(DurableAck ack, SessionLoad load, Publish message, QoS subscriptionQos) {
        return ack != null
                        && (load.durable() || load == SessionLoad.ELSEWHERE)
                        && message.qos() != QoS.AT_MOST_ONCE
                        && subscriptionQos != QoS.AT_MOST_ONCE
                ? ack.expect()
                : null;
    }

    /**
     * The matches of one publish, grouped by client. Most publishes reach one client or a few
     * distinct ones, so the map is made only when a second client shows up.
     */
    private static final class Targets implements MatchVisitor<RouteEntry> {
        private final Publish message;
        private final String publisherClientId;
        private final DurableAck ack;
        private int sharedDeliveries;
        private String singleClientId;
        private Target single;
        private Map<String, Target> byClient;

        Targets(Publish message, String publisherClientId, DurableAck ack) {
            this.message = message;
            this.publisherClientId = publisherClientId;
            this.ack = ack;
        }

        @Override
        public void matched(String filter, String clientId, RouteEntry entry) {
            if (entry instanceof SharedGroup group) {
                SharedGroup.Member member = group.choose(publisherClientId, null);
                OnCommit memberAck = member == null
                        ? null
                        : ackFor(
                                ack,
                                member.load(),
                                message,
                                member.subscriber().options().qos());
                if (deliverShared(member, group, message, memberAck)) {
                    group.stats().recordDelivered();
                    sharedDeliveries++;
                }
                return;
            }
            Subscriber subscriber = (Subscriber) entry;
            if (subscriber.options().noLocal() && clientId.equals(publisherClientId)) {
                return;
            }
            if (byClient == null) {
                if (single == null) {
                    singleClientId = clientId;
                    single = new Target(subscriber);
                    single.add(subscriber);
                    return;
                }
                if (singleClientId.equals(clientId)) {
                    single.add(subscriber);
                    return;
                }
                byClient = new LinkedHashMap<>();
                byClient.put(singleClientId, single);
            }
            byClient.computeIfAbsent(clientId, id -> new Target(subscriber)).add(subscriber);
        }
    }

    private static final class Target {
        final Subscriber first;
        QoS qos = QoS.AT_MOST_ONCE;
        boolean retainAsPublished;
        List<Integer> subscriptionIds = List.of();

        Target(Subscriber first) {
            this.first = first;
        }

        BrokerNode.Delivery delivery(Publish message, DurableAck ack) {
            return new BrokerNode.Delivery(
                    first.session(), qos, retainAsPublished, subscriptionIds, ackFor(ack, first.load(), message, qos));
        }

        void deliver(Publish message, DurableAck ack) {
            first.session()
                    .tell(new SessionActor.Deliver(
                            message,
                            qos,
                            retainAsPublished,
                            false,
                            subscriptionIds,
                            null,
                            false,
                            ackFor(ack, first.load(), message, qos)));
        }

        void add(Subscriber s) {
            qos = s.options().qos().value() > qos.value() ? s.options().qos() : qos;
            retainAsPublished |= s.options().retainAsPublished();
            if (s.subscriptionId() > 0) {
                if (subscriptionIds.isEmpty()) {
                    subscriptionIds = new ArrayList<>(2);
                }
                subscriptionIds.add(s.subscriptionId());
            }
        }
    }
}
