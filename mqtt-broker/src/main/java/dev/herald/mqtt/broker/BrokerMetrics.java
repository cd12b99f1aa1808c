package dev.herald.mqtt.broker;

import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.store.StoreMetrics;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;

/**
 * The broker's counters. Actors only add to them; readers (logs, the embedded API, admin HTTP) take
 * their sums. Every drop has a counter of its own, so none is silent.
 */
public final class BrokerMetrics {

    final LongAdder connectionsOpened = new LongAdder();
    final LongAdder connectionsClosed = new LongAdder();
    private final LongAdder[] messagesReceived = {new LongAdder(), new LongAdder(), new LongAdder()};
    private final LongAdder[] messagesSent = {new LongAdder(), new LongAdder(), new LongAdder()};
    // Written only by the BrokerActor, which owns what they count.
    private volatile long sessions;
    private volatile long subscriptions;
    private volatile long retainedMessages;
    final LongAdder droppedQos0SlowClient = new LongAdder();
    final LongAdder droppedQueueFull = new LongAdder();
    final LongAdder droppedOfflineQos0 = new LongAdder();
    final LongAdder droppedTooLargeForClient = new LongAdder();
    final LongAdder droppedExpired = new LongAdder();
    final LongAdder protocolErrors = new LongAdder();
    private final StoreMetrics store = new StoreMetrics();
    final LongAdder droppedRateLimited = new LongAdder();
    final LongAdder droppedQuotaExceeded = new LongAdder();
    final LongAdder droppedNotAuthorized = new LongAdder();
    final LongAdder droppedFiltered = new LongAdder();
    final LongAdder authFailures = new LongAdder();
    private final LongAdder queuedMessages = new LongAdder();
    private final ConcurrentHashMap<String, SharedGroupStats> sharedGroups = new ConcurrentHashMap<>();

    /** A PUBLISH over the client's rate limit (max-publish-rate), not routed. */
    public void recordRateLimitedDrop() {
        droppedRateLimited.increment();
    }

    /** A PUBLISH not routed because all sessions together hold max-queued-messages-total. */
    public void recordQuotaDrop() {
        droppedQuotaExceeded.increment();
    }

    /** A PUBLISH the client was not authorized to send, not routed. */
    public void recordNotAuthorizedDrop() {
        droppedNotAuthorized.increment();
    }

    /** A CONNECT or re-authentication refused by the authenticator. */
    /** A PUBLISH a packet filter rejected. */
    public void recordFilteredDrop() {
        droppedFiltered.increment();
    }

    public long droppedFiltered() {
        return droppedFiltered.sum();
    }

    public void recordAuthFailure() {
        authFailures.increment();
    }

    /** Messages now waiting in session queues, all sessions together; sessions add and take. */
    public void addQueued(long delta) {
        queuedMessages.add(delta);
    }

    public long queuedMessages() {
        return queuedMessages.sum();
    }

    /** The counters of a shared group, made on first use. */
    public SharedGroupStats sharedGroup(String group, String filter) {
        return sharedGroups.computeIfAbsent(group + '\u0000' + filter, k -> new SharedGroupStats(group, filter));
    }

    /** Every shared group seen since the start (with 0 members once it emptied). */
    public List<SharedGroupStats> sharedGroups() {
        return List.copyOf(sharedGroups.values());
    }

    public long droppedRateLimited() {
        return droppedRateLimited.sum();
    }

    public long droppedQuotaExceeded() {
        return droppedQuotaExceeded.sum();
    }

    public long droppedNotAuthorized() {
        return droppedNotAuthorized.sum();
    }

    public long authFailures() {
        return authFailures.sum();
    }

    public void recordConnectionOpened() {
        connectionsOpened.increment();
    }

    public void recordConnectionClosed() {
        connectionsClosed.increment();
    }

    public void recordMessageReceived(QoS qos) {
        messagesReceived[qos.value()].increment();
    }

    public void recordMessageSent(QoS qos) {
        messagesSent[qos.value()].increment();
    }

    /** The BrokerActor's counts after each change: sessions, subscriptions (shared members included), retained. */
    public void brokerState(long sessions, long subscriptions, long retainedMessages) {
        this.sessions = sessions;
        this.subscriptions = subscriptions;
        this.retainedMessages = retainedMessages;
    }

    /** Sessions, connected or kept for a client that will come back. */
    public long sessions() {
        return sessions;
    }

    public long subscriptions() {
        return subscriptions;
    }

    public long retainedMessages() {
        return retainedMessages;
    }

    /** A QoS 0 message not written because the client's outbound queue was full. */
    public void recordSlowClientDrop() {
        droppedQos0SlowClient.increment();
    }

    /** A QoS 1/2 message (or offline QoS 0) not queued because the session queue was full. */
    public void recordQueueFullDrop() {
        droppedQueueFull.increment();
    }

    /** A QoS 0 message for an offline client, which is not queued unless configured. */
    public void recordOfflineQos0Drop() {
        droppedOfflineQos0.increment();
    }

    /** A message larger than the client's Maximum Packet Size (MQTT 5.0 section 3.1.2.11.4). */
    public void recordTooLargeDrop() {
        droppedTooLargeForClient.increment();
    }

    /** A queued or retained message whose Message Expiry Interval passed (MQTT 5.0 section 3.3.2.3.3). */
    public void recordExpiredDrop() {
        droppedExpired.increment();
    }

    public void recordProtocolError() {
        protocolErrors.increment();
    }

    public long connections() {
        return connectionsOpened.sum() - connectionsClosed.sum();
    }

    public long messagesReceived() {
        return messagesReceived(QoS.AT_MOST_ONCE)
                + messagesReceived(QoS.AT_LEAST_ONCE)
                + messagesReceived(QoS.EXACTLY_ONCE);
    }

    public long messagesReceived(QoS qos) {
        return messagesReceived[qos.value()].sum();
    }

    public long messagesSent() {
        return messagesSent(QoS.AT_MOST_ONCE) + messagesSent(QoS.AT_LEAST_ONCE) + messagesSent(QoS.EXACTLY_ONCE);
    }

    public long messagesSent(QoS qos) {
        return messagesSent[qos.value()].sum();
    }

    public long droppedQos0SlowClient() {
        return droppedQos0SlowClient.sum();
    }

    public long droppedQueueFull() {
        return droppedQueueFull.sum();
    }

    public long droppedOfflineQos0() {
        return droppedOfflineQos0.sum();
    }

    public long droppedTooLargeForClient() {
        return droppedTooLargeForClient.sum();
    }

    public long droppedExpired() {
        return droppedExpired.sum();
    }

    /** What the store's writer did (all zero with persistence off). */
    public StoreMetrics store() {
        return store;
    }

    public long protocolErrors() {
        return protocolErrors.sum();
    }

    /** Every drop, whatever the reason. */
    public long dropped() {
        long all = 0;
        for (DropReason reason : DropReason.values()) {
            all += reason.count(this);
        }
        return all;
    }

    @Override
    public String toString() {
        return "connections=" + connections() + " received=" + messagesReceived() + " sent=" + messagesSent()
                + " dropped(slow-client-qos0=" + droppedQos0SlowClient() + " queue-full=" + droppedQueueFull()
                + " offline-qos0=" + droppedOfflineQos0() + " too-large=" + droppedTooLargeForClient() + " expired="
                + droppedExpired() + " rate-limited=" + droppedRateLimited() + " quota=" + droppedQuotaExceeded()
                + " not-authorized=" + droppedNotAuthorized() + " filtered=" + droppedFiltered() + ")"
                + " protocol-errors=" + protocolErrors();
    }

    /**
     * Every reason a message is dropped, with the name admin {@code /metrics} and {@code $SYS} give
     * it and where its count is: the one list both read.
     */
    public enum DropReason {
        SLOW_CLIENT_QOS0("slow_client_qos0", BrokerMetrics::droppedQos0SlowClient),
        QUEUE_FULL("queue_full", BrokerMetrics::droppedQueueFull),
        OFFLINE_QOS0("offline_qos0", BrokerMetrics::droppedOfflineQos0),
        TOO_LARGE("too_large", BrokerMetrics::droppedTooLargeForClient),
        EXPIRED("expired", BrokerMetrics::droppedExpired),
        RATE_LIMITED("rate_limited", BrokerMetrics::droppedRateLimited),
        QUOTA("quota", BrokerMetrics::droppedQuotaExceeded),
        NOT_AUTHORIZED("not_authorized", BrokerMetrics::droppedNotAuthorized),
        FILTERED("filtered", BrokerMetrics::droppedFiltered);

        private final String label;
        private final ToLongFunction<BrokerMetrics> count;

        DropReason(String label, ToLongFunction<BrokerMetrics> count) {
            this.label = label;
            this.count = count;
        }

        public String label() {
            return label;
        }

        public long count(BrokerMetrics metrics) {
            return count.applyAsLong(metrics);
        }
    }
}
