package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.broker.BrokerSettings;
import dev.herald.mqtt.message.Publish;
import org.slf4j.Logger;

/**
 * What the BrokerActor publishes itself, through the same routing as a client's messages: Wills
 * (unless they would forge the broker's $SYS state) and its $SYS topics. Owned by the BrokerActor.
 */
final class BrokerPublishing {

    private final SubscriptionTable table;
    private final RetainedMessages retained;
    private final BrokerSettings settings;
    private final BrokerMetrics metrics;
    private final Logger log;
    /** Null when $SYS topics are off (herald.mqtt.sys.interval = 0). */
    private final SysTopics sys;

    BrokerPublishing(
            SubscriptionTable table,
            RetainedMessages retained,
            BrokerSettings settings,
            BrokerMetrics metrics,
            Logger log) {
        this.table = table;
        this.retained = retained;
        this.settings = settings;
        this.metrics = metrics;
        this.log = log;
        this.sys = settings.sysInterval().isZero()
                ? null
                : new SysTopics(metrics, SysTopics.brokerVersion(), System.nanoTime());
    }

    /** A Will, unless it would forge the broker's $SYS state. */
    void will(Publish message, String clientId) {
        if (SysTopics.isSysTopic(message.topic())) {
            metrics.recordNotAuthorizedDrop();
            log.info("Dropped the Will of '{}': clients may not publish to '{}'", clientId, message.topic());
            return;
        }
        route(message, clientId);
    }

    /** The $SYS topics whose value changed since the last round, retained, to their subscribers. */
    void sysRound(int sessions, long connected) {
        for (Publish message : sys.round(System.nanoTime(), sessions, connected)) {
            route(message, SysTopics.PUBLISHER);
        }
    }

    private void route(Publish message, String publisherClientId) {
        if (message.retain() && settings.retainAvailable()) {
            retained.update(message, null);
        }
        Router.route(table.tree(), message, publisherClientId);
    }
}
