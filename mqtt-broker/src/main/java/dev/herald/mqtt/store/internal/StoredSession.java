package dev.herald.mqtt.store.internal;

import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.message.Will;
import java.util.List;

/**
 * A persistent session as the BrokerActor keeps it: which incarnation of the client id's session it
 * is (its messages are kept under it, so a new session never sees an old one's), its Session Expiry Interval, when its client
 * disconnected ({@link #CONNECTED} while one is connected), its subscriptions, and the Will waiting
 * for its delay with when it is due (null and 0 when none).
 */
public record StoredSession(
        String clientId,
        long incarnation,
        long expiryInterval,
        long disconnectedAtMillis,
        List<StoredSubscription> subscriptions,
        Will will,
        long willDueAtMillis) {

    public static final long CONNECTED = -1;

    /** One subscription with its Subscription Identifier (0 when none). */
    public record StoredSubscription(Subscription options, int subscriptionId) {}
}
