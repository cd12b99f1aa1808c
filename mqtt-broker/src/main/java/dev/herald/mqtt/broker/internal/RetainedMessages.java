package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.Subscription;
import dev.herald.mqtt.routing.RetainedStore;
import dev.herald.mqtt.store.internal.BrokerStore;
import dev.herald.mqtt.store.internal.OnCommit;
import dev.herald.mqtt.store.internal.StoredRetained;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The BrokerActor's retained messages, by topic, each with when it was stored (for its Message Expiry
 * Interval), and their copies in the store. The broker's own $SYS topics are kept apart: they are not
 * counted as what clients retained and not stored (they are published again after a restart).
 */
final class RetainedMessages {

    private record Retained(Publish message, long storedNanos) {}

    private final RetainedStore<Retained> retained = new RetainedStore<>();
    private final Set<String> sys = new HashSet<>();
    private final BrokerStore store;
    private final BrokerMetrics metrics;

    /** Null unless every node keeps a copy (replicated broker), for a BrokerActor started after a fail-over. */
    private final Replication replication;

    RetainedMessages(BrokerStore store, BrokerMetrics metrics, Replication replication) {
        this.store = store;
        this.metrics = metrics;
        this.replication = replication;
    }

    /** A retained message a node kept, taken back by a BrokerActor started after a fail-over. */
    void rejoin(Publish m) {
        if (retained.get(m.topic()) == null) {
            retained.put(m.topic(), new Retained(m, System.nanoTime()));
            replication.retained(m); // nodes that have their table already get it too
        }
    }

    /** Takes back what the store holds, but messages whose Message Expiry passed (removed); returns how many. */
    int restore() {
        long nowNanos = System.nanoTime();
        long nowMillis = System.currentTimeMillis();
        int[] count = {0};
        store.forEachRetained(r -> {
            long storedNanos = nowNanos - (nowMillis - r.storedAtMillis()) * 1_000_000L;
            if (MessageExpiry.remaining(r.message(), storedNanos, nowNanos) == null) {
                store.deleteRetained(r.message().topic(), null);
                metrics.recordExpiredDrop();
                return;
            }
            retained.put(r.message().topic(), new Retained(r.message(), storedNanos));
            count[0]++;
        });
        return count[0];
    }

    /** Stores, replaces, or (empty payload) clears; {@code stored} is answered once it is on disk. */
    void update(Publish m, OnCommit stored) {
        if (replication != null && !SysTopics.isSysTopic(m.topic())) {
            replication.retained(m);
        }
        if (m.payload().isEmpty()) {
            retained.remove(m.topic());
            sys.remove(m.topic());
            store.deleteRetained(m.topic(), stored);
            return;
        }
        retained.put(m.topic(), new Retained(m, System.nanoTime()));
        if (SysTopics.isSysTopic(m.topic())) {
            sys.add(m.topic());
            SessionRecords.release(stored);
        } else {
            store.putRetained(new StoredRetained(m, System.currentTimeMillis()), stored);
        }
    }

    /** Every retained message of clients (not $SYS), as a node's copy is first sent them. */
    List<Publish> all() {
        List<Publish> all = new ArrayList<>();
        retained.match("#", (topic, stored) -> all.add(stored.message()));
        return all;
    }

    /** The retained messages a new subscription gets, but those whose Message Expiry passed (removed). */
    void forSubscription(Subscription options, List<Integer> ids, List<SessionActor.Deliver> into) {
        long now = System.nanoTime();
        List<String> expired = new ArrayList<>();
        retained.match(options.filter(), (topic, stored) -> {
            Publish message = MessageExpiry.remaining(stored.message(), stored.storedNanos(), now);
            if (message == null) {
                expired.add(topic);
            } else {
                into.add(new SessionActor.Deliver(message, options.qos(), true, true, ids, null));
            }
        });
        for (String topic : expired) {
            retained.remove(topic);
            store.deleteRetained(topic, null);
            metrics.recordExpiredDrop();
        }
    }

    /** What clients retained ($SYS topics left out). */
    int clientCount() {
        return retained.size() - sys.size();
    }
}
