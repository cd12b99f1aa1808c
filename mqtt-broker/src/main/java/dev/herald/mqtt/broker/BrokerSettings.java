package dev.herald.mqtt.broker;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.herald.mqtt.message.QoS;
import java.time.Duration;

/** The {@code herald.mqtt} section of the configuration, read once; see reference.conf for each key. */
public record BrokerSettings(
        String bind,
        int port,
        int maxConnections,
        int maxPacketSize,
        Duration connectTimeout,
        int maxKeepAlive,
        int receiveMaximum,
        int maxInflight,
        int maxQueuedMessages,
        boolean queueQos0Offline,
        int outboundQueueSize,
        int maxSubscriptionsPerClient,
        int maxTopicLength,
        int maxTopicLevels,
        long maxSessionExpiry,
        QoS maximumQos,
        boolean retainAvailable,
        Duration dropLogInterval) {

    public BrokerSettings {
        if (outboundQueueSize <= maxInflight) {
            throw new IllegalArgumentException("herald.mqtt.outbound-queue-size (" + outboundQueueSize
                    + ") must exceed herald.mqtt.max-inflight (" + maxInflight + ")");
        }
        if (maxInflight < 1 || maxInflight > 65_535 || receiveMaximum < 1 || receiveMaximum > 65_535) {
            throw new IllegalArgumentException("herald.mqtt.max-inflight and receive-maximum must be 1..65535");
        }
    }

    /** The defaults of reference.conf. */
    public static BrokerSettings defaults() {
        return from(ConfigFactory.load());
    }

    public static BrokerSettings from(Config root) {
        Config c = root.getConfig("herald.mqtt");
        int qos = c.getInt("maximum-qos");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("herald.mqtt.maximum-qos must be 0, 1 or 2, not " + qos);
        }
        return new BrokerSettings(
                c.getString("bind"),
                c.getInt("port"),
                c.getInt("max-connections"),
                c.getInt("max-packet-size"),
                c.getDuration("connect-timeout"),
                c.getInt("max-keep-alive"),
                c.getInt("receive-maximum"),
                c.getInt("max-inflight"),
                c.getInt("max-queued-messages"),
                c.getBoolean("queue-qos0-offline"),
                c.getInt("outbound-queue-size"),
                c.getInt("max-subscriptions-per-client"),
                c.getInt("max-topic-length"),
                c.getInt("max-topic-levels"),
                c.getLong("max-session-expiry"),
                QoS.of(qos),
                c.getBoolean("retain-available"),
                c.getDuration("drop-log-interval"));
    }

    public BrokerSettings withPort(int newPort) {
        return new BrokerSettings(
                bind,
                newPort,
                maxConnections,
                maxPacketSize,
                connectTimeout,
                maxKeepAlive,
                receiveMaximum,
                maxInflight,
                maxQueuedMessages,
                queueQos0Offline,
                outboundQueueSize,
                maxSubscriptionsPerClient,
                maxTopicLength,
                maxTopicLevels,
                maxSessionExpiry,
                maximumQos,
                retainAvailable,
                dropLogInterval);
    }
}
