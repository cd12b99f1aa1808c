package dev.herald.mqtt.broker;

import java.util.concurrent.atomic.LongAdder;

/**
 * The broker's counters. Actors only add to them; readers (logs, the embedded API, admin HTTP) take
 * their sums. Every drop has a counter of its own, so none is silent.
 */
public final class BrokerMetrics {

    final LongAdder connectionsOpened = new LongAdder();
    final LongAdder connectionsClosed = new LongAdder();
    final LongAdder messagesReceived = new LongAdder();
    final LongAdder messagesSent = new LongAdder();
    final LongAdder droppedQos0SlowClient = new LongAdder();
    final LongAdder droppedQueueFull = new LongAdder();
    final LongAdder droppedOfflineQos0 = new LongAdder();
    final LongAdder droppedTooLargeForClient = new LongAdder();
    final LongAdder droppedExpired = new LongAdder();
    final LongAdder protocolErrors = new LongAdder();

    public void recordConnectionOpened() {
        connectionsOpened.increment();
    }

    public void recordConnectionClosed() {
        connectionsClosed.increment();
    }

    public void recordMessageReceived() {
        messagesReceived.increment();
    }

    public void recordMessageSent() {
        messagesSent.increment();
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
        return messagesReceived.sum();
    }

    public long messagesSent() {
        return messagesSent.sum();
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

    public long protocolErrors() {
        return protocolErrors.sum();
    }

    /** Every drop, whatever the reason. */
    public long dropped() {
        return droppedQos0SlowClient()
                + droppedQueueFull()
                + droppedOfflineQos0()
                + droppedTooLargeForClient()
                + droppedExpired();
    }

    @Override
    public String toString() {
        return "connections=" + connections() + " received=" + messagesReceived() + " sent=" + messagesSent()
                + " dropped(slow-client-qos0=" + droppedQos0SlowClient() + " queue-full=" + droppedQueueFull()
                + " offline-qos0=" + droppedOfflineQos0() + " too-large=" + droppedTooLargeForClient() + " expired="
                + droppedExpired() + ")"
                + " protocol-errors=" + protocolErrors();
    }
}
