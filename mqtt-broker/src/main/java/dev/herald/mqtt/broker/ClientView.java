package dev.herald.mqtt.broker;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.herald.mqtt.message.QoS;
import java.util.List;

/**
 * A read-only view of one session as the BrokerActor holds it: its client id, whether a client is
 * connected to it now, its subscriptions in the order they were made, and, on a cluster node, the
 * address of the node the session lives on (of its connection while it has no session actor yet;
 * null when not clustered).
 */
public record ClientView(
        String clientId,
        boolean connected,
        List<SubscriptionView> subscriptions,
        @JsonInclude(JsonInclude.Include.NON_NULL) String node) {

    /** One subscription: its filter as the client sent it ({@code $share/...} included) and its QoS. */
    public record SubscriptionView(String filter, QoS qos) {}
}
