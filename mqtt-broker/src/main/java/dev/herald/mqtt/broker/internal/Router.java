package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.routing.MatchVisitor;
import dev.herald.mqtt.routing.TopicTree;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands a message to every session with a matching subscription, once per client: overlapping
 * subscriptions of one client give one delivery at the highest of their QoS with all their
 * Subscription Identifiers (MQTT 5.0 section 3.3.4). No Local subscriptions skip the publisher.
 */
final class Router {

    private Router() {}

    /** Returns the number of sessions the message was handed to. */
    static int route(TopicTree<Subscriber> tree, Publish message, String publisherClientId) {
        Targets targets = new Targets(publisherClientId);
        tree.match(message.topic(), targets);
        if (targets.byClient == null) {
            if (targets.single == null) {
                return 0;
            }
            targets.single.deliver(message);
            return 1;
        }
        targets.byClient.values().forEach(target -> target.deliver(message));
        return targets.byClient.size();
    }

    /**
     * The matches of one publish, grouped by client. Most publishes reach one client or a few
     * distinct ones, so the map is made only when a second client shows up.
     */
    private static final class Targets implements MatchVisitor<Subscriber> {
        private final String publisherClientId;
        private String singleClientId;
        private Target single;
        private Map<String, Target> byClient;

        Targets(String publisherClientId) {
            this.publisherClientId = publisherClientId;
        }

        @Override
        public void matched(String filter, String clientId, Subscriber subscriber) {
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

        void deliver(Publish message) {
            first.session().tell(new SessionActor.Deliver(message, qos, retainAsPublished, false, subscriptionIds));
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
