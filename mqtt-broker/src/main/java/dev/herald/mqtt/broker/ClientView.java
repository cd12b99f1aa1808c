package dev.herald.mqtt.broker;

import dev.herald.mqtt.message.QoS;
import java.util.List;

/**
 * A read-only view of one session as the BrokerActor holds it: its client id, whether a client is
 * connected to it now, and its subscriptions in the order they were made.
 */
public record ClientView(String clientId, boolean connected, List<SubscriptionView> subscriptions) {

    /** One subscription: its filter as the client sent it ({@code $share/...} included) and its QoS. */
    public record SubscriptionView(String filter, QoS qos) {}
}
