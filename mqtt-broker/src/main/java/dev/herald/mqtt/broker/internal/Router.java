package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
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
        Map<String, Target> targets = new LinkedHashMap<>();
        tree.match(message.topic(), (filter, clientId, subscriber) -> {
            if (subscriber.options().noLocal() && clientId.equals(publisherClientId)) {
                return;
            }
            targets.computeIfAbsent(clientId, id -> new Target(subscriber)).add(subscriber);
        });
        for (Target target : targets.values()) {
            target.first
                    .session()
                    .tell(new SessionActor.Deliver(
                            message, target.qos, target.retainAsPublished, false, target.subscriptionIds));
        }
        return targets.size();
    }

    private static final class Target {
        final Subscriber first;
        QoS qos = QoS.AT_MOST_ONCE;
        boolean retainAsPublished;
        List<Integer> subscriptionIds = List.of();

        Target(Subscriber first) {
            this.first = first;
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
