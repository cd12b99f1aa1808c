package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.broker.BrokerSettings;
import dev.herald.mqtt.codec.MqttEncoder;
import dev.herald.mqtt.codec.internal.Utf8;
import dev.herald.mqtt.message.Connect;
import dev.herald.mqtt.message.MqttVersion;
import dev.herald.mqtt.message.QoS;
import dev.herald.mqtt.message.Will;
import dev.herald.mqtt.message.property.MqttProperty;
import dev.herald.mqtt.message.property.Properties;
import dev.herald.mqtt.message.reason.ConnectReasonCode;
import java.util.UUID;

/**
 * What the broker makes of a valid CONNECT (MQTT 5.0 section 3.1.2-3.1.3, 3.1.1 section 3.1): the
 * client id (assigned when empty), the granted keep alive and session expiry, the client's limits,
 * and the CONNACK properties that tell the truth about this broker. {@code refusal} is non-null when
 * the CONNECT must be refused.
 */
record ConnectDecision(
        String clientId,
        boolean assignedId,
        int keepAlive,
        long sessionExpiry,
        int clientReceiveMaximum,
        long clientMaximumPacketSize,
        int clientTopicAliasMaximum,
        boolean problemInformation,
        ConnectReasonCode refusal) {

    /** Session Expiry Interval 0xFFFFFFFF: the session never expires. */
    static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

    static ConnectDecision of(Connect c, BrokerSettings settings) {
        boolean v5 = c.version() == MqttVersion.V5;
        String clientId = c.clientId();
        boolean assigned = false;
        ConnectReasonCode refusal = null;
        if (clientId.isEmpty()) {
            if (!v5 && !c.cleanStart()) {
                refusal = ConnectReasonCode.CLIENT_IDENTIFIER_NOT_VALID; // 3.1.1 section 3.1.3.1
            }
            clientId = "herald-" + UUID.randomUUID();
            assigned = true;
        }
        Will will = c.will();
        if (refusal == null && v5 && will != null) {
            if (will.properties().intValue(MqttProperty.PAYLOAD_FORMAT_INDICATOR, 0) == 1
                    && !Utf8.isWellFormed(will.payload())) {
                refusal = ConnectReasonCode.PAYLOAD_FORMAT_INVALID; // MQTT 5.0 section 3.1.3.2.3
            } else if (will.qos().value() > settings.maximumQos().value()) {
                refusal = ConnectReasonCode.QOS_NOT_SUPPORTED; // MQTT-3.2.2-12
            } else if (will.retain() && !settings.retainAvailable()) {
                refusal = ConnectReasonCode.RETAIN_NOT_SUPPORTED; // MQTT-3.2.2-13
            }
        }
        int keepAlive = c.keepAlive();
        int max = settings.maxKeepAlive();
        if (v5 && max > 0 && (keepAlive == 0 || keepAlive > max)) {
            keepAlive = max;
        }
        long expiry = v5
                ? c.properties().longValue(MqttProperty.SESSION_EXPIRY_INTERVAL, 0)
                : (c.cleanStart() ? 0 : NEVER_EXPIRES);
        expiry = Math.min(expiry, settings.maxSessionExpiry());
        Properties p = c.properties();
        return new ConnectDecision(
                clientId,
                assigned,
                keepAlive,
                expiry,
                p.intValue(MqttProperty.RECEIVE_MAXIMUM, 65_535),
                p.longValue(MqttProperty.MAXIMUM_PACKET_SIZE, MqttEncoder.MAX_PACKET_SIZE),
                p.intValue(MqttProperty.TOPIC_ALIAS_MAXIMUM, 0),
                p.intValue(MqttProperty.REQUEST_PROBLEM_INFORMATION, 1) == 1,
                refusal);
    }

    /** The CONNACK properties of an accepted MQTT 5 connection. */
    Properties connAckProperties(Connect c, BrokerSettings settings, Properties auth) {
        Properties.Builder b = auth.isEmpty() ? Properties.builder() : auth.toBuilder();
        if (assignedId) {
            b.add(MqttProperty.ASSIGNED_CLIENT_IDENTIFIER, clientId);
        }
        if (keepAlive != c.keepAlive()) {
            b.add(MqttProperty.SERVER_KEEP_ALIVE, keepAlive);
        }
        if (sessionExpiry != c.properties().longValue(MqttProperty.SESSION_EXPIRY_INTERVAL, 0)) {
            b.add(MqttProperty.SESSION_EXPIRY_INTERVAL, sessionExpiry);
        }
        if (settings.receiveMaximum() < 65_535) {
            b.add(MqttProperty.RECEIVE_MAXIMUM, settings.receiveMaximum());
        }
        if (settings.maximumQos() != QoS.EXACTLY_ONCE) {
            b.add(MqttProperty.MAXIMUM_QOS, settings.maximumQos().value());
        }
        if (!settings.retainAvailable()) {
            b.add(MqttProperty.RETAIN_AVAILABLE, 0);
        }
        b.add(MqttProperty.MAXIMUM_PACKET_SIZE, (long) settings.maxPacketSize());
        if (settings.topicAliasMaximum() > 0) {
            b.add(MqttProperty.TOPIC_ALIAS_MAXIMUM, settings.topicAliasMaximum());
        }
        if (!settings.wildcardSubscriptions()) {
            b.add(MqttProperty.WILDCARD_SUBSCRIPTION_AVAILABLE, 0);
        }
        if (!settings.subscriptionIdentifiers()) {
            b.add(MqttProperty.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 0);
        }
        if (!settings.sharedSubscriptions()) {
            b.add(MqttProperty.SHARED_SUBSCRIPTION_AVAILABLE, 0);
        }
        if (c.properties().intValue(MqttProperty.REQUEST_RESPONSE_INFORMATION, 0) == 1
                && !settings.responseInformation().isEmpty()) {
            b.add(MqttProperty.RESPONSE_INFORMATION, settings.responseInformation()); // MQTT 5.0 3.1.2.11.7
        }
        return b.build();
    }
}
