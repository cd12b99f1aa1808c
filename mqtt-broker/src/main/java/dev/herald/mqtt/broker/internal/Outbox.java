package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.broker.BrokerMetrics;
import dev.herald.mqtt.codec.MqttEncoder;
import dev.herald.mqtt.message.MqttPacket;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.QoS;
import dev.herald.runtime.RateLimitedWarning;
import java.time.Duration;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;

/**
 * The write side of one connection: encodes packets for the client's version and Maximum Packet
 * Size and offers them to the bounded queue in front of the socket, never blocking. A QoS 0 PUBLISH
 * that does not fit is dropped and counted (logged at most once per interval); any other packet that
 * does not fit means the client stopped reading, and {@link #offer} says so.
 */
final class Outbox {

    private final BoundedSourceQueue<ByteString> queue;
    private final BrokerMetrics metrics;
    private MqttVersion version = MqttVersion.V5;
    private long maximumPacketSize = MqttEncoder.MAX_PACKET_SIZE;
    private String clientId = "";
    private final Logger log;
    private final Duration logInterval;
    // Created at the first drop: most connections never drop anything.
    private RateLimitedWarning dropLog;

    Outbox(BoundedSourceQueue<ByteString> queue, BrokerMetrics metrics, Logger log, Duration logInterval) {
        this.queue = queue;
        this.metrics = metrics;
        this.log = log;
        this.logInterval = logInterval;
    }

    void configure(String clientId, MqttVersion version, long maximumPacketSize) {
        this.clientId = clientId;
        this.version = version;
        this.maximumPacketSize = maximumPacketSize;
    }

    /** Returns false when the packet could not be queued and the connection must be closed. */
    boolean offer(MqttPacket packet) {
        return offer(packet, version);
    }

    /** Writes in an explicit version: a CONNACK refusing an unsupported one. */
    boolean offer(MqttPacket packet, MqttVersion inVersion) {
        ByteString bytes = MqttEncoder.encode(packet, inVersion, maximumPacketSize);
        boolean qos0 = packet instanceof Publish p && p.qos() == QoS.AT_MOST_ONCE;
        if (bytes == null) {
            metrics.recordTooLargeDrop();
            return true;
        }
        QueueOfferResult result = queue.offer(bytes);
        if (result == QueueOfferResult.enqueued()) {
            if (packet instanceof Publish p) {
                metrics.recordMessageSent(p.qos());
            }
            return true;
        }
        if (qos0 && result == QueueOfferResult.dropped()) {
            metrics.recordSlowClientDrop();
            if (dropLog == null) {
                dropLog = new RateLimitedWarning(log, "QoS 0 message dropped: reads too slowly, client", logInterval);
            }
            dropLog.happened(clientId);
            return true;
        }
        return queue.isCompleted();
    }

    /** Flushes what is queued, then closes the socket. */
    void close() {
        if (!queue.isCompleted()) {
            queue.complete();
        }
    }

    /** Closes the socket at once, dropping what is queued (the client is not reading). */
    void abort(Throwable reason) {
        if (!queue.isCompleted()) {
            queue.fail(reason);
        }
    }
}
