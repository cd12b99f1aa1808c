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
        Duration dropLogInterval,
        int topicAliasMaximum,
        int outboundTopicAliases,
        boolean wildcardSubscriptions,
        boolean subscriptionIdentifiers,
        boolean sharedSubscriptions,
        SharedStrategy sharedStrategy,
        String responseInformation,
        String serverReference,
        boolean serverMoved,
        int maxPublishRate,
        long maxQueuedMessagesTotal,
        boolean allowAnonymous,
        String passwordFile,
        String aclFile,
        Duration authReloadInterval,
        Duration sysInterval,
        Duration clusterAckTimeout,
        Duration clusterRejoinTimeout) {

    /** A topic name or filter within {@code max-topic-length} and {@code max-topic-levels}. */
    public boolean topicWithinLimits(String topic) {
        if (topic.length() > maxTopicLength) {
            return false;
        }
        int levels = 1;
        for (int i = 0; i < topic.length(); i++) {
            if (topic.charAt(i) == '/' && ++levels > maxTopicLevels) {
                return false;
            }
        }
        return true;
    }

    /** How a shared subscription group picks the member a message goes to. */
    public enum SharedStrategy {
        ROUND_ROBIN,
        RANDOM,
        /** The same member for the same publisher while that member is available. */
        STICKY;

        static SharedStrategy of(String name) {
            return switch (name) {
                case "round-robin" -> ROUND_ROBIN;
                case "random" -> RANDOM;
                case "sticky" -> STICKY;
                default ->
                    throw new IllegalArgumentException(
                            "herald.mqtt.shared-subscriptions.strategy must be round-robin, random or sticky, not '"
                                    + name + "'");
            };
        }
    }

    public BrokerSettings {
        if (outboundQueueSize <= maxInflight) {
            throw new IllegalArgumentException("herald.mqtt.outbound-queue-size (" + outboundQueueSize
                    + ") must exceed herald.mqtt.max-inflight (" + maxInflight + ")");
        }
        if (maxInflight < 1 || maxInflight > 65_535 || receiveMaximum < 1 || receiveMaximum > 65_535) {
            throw new IllegalArgumentException("herald.mqtt.max-inflight and receive-maximum must be 1..65535");
        }
        if (topicAliasMaximum < 0
                || topicAliasMaximum > 65_535
                || outboundTopicAliases < 0
                || outboundTopicAliases > 65_535) {
            throw new IllegalArgumentException(
                    "herald.mqtt.topic-alias-maximum and outbound-topic-aliases must be 0..65535");
        }
        if (clusterAckTimeout.isNegative()
                || clusterAckTimeout.isZero()
                || clusterRejoinTimeout.isNegative()
                || clusterRejoinTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "herald.mqtt.cluster.acknowledgement-timeout and rejoin-timeout must be above 0");
        }
        if (authReloadInterval.isNegative()) {
            throw new IllegalArgumentException(
                    "herald.mqtt.auth.reload-interval must be 0 (off) or more, not " + authReloadInterval);
        }
        if (sysInterval.isNegative()) {
            throw new IllegalArgumentException("herald.mqtt.sys.interval must be 0 (off) or more, not " + sysInterval);
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
                c.getDuration("drop-log-interval"),
                c.getInt("topic-alias-maximum"),
                c.getInt("outbound-topic-aliases"),
                c.getBoolean("wildcard-subscriptions"),
                c.getBoolean("subscription-identifiers"),
                c.getBoolean("shared-subscriptions.enabled"),
                SharedStrategy.of(c.getString("shared-subscriptions.strategy")),
                c.getString("response-information"),
                c.getString("redirect.server-reference"),
                c.getBoolean("redirect.permanent"),
                c.getInt("max-publish-rate"),
                c.getLong("max-queued-messages-total"),
                c.getBoolean("auth.allow-anonymous"),
                c.getString("auth.password-file"),
                c.getString("auth.acl-file"),
                c.getDuration("auth.reload-interval"),
                c.getDuration("sys.interval"),
                c.getDuration("cluster.acknowledgement-timeout"),
                c.getDuration("cluster.rejoin-timeout"));
    }
}
