package dev.herald.mqtt.broker.internal;

import dev.herald.mqtt.message.Publish;
import dev.herald.mqtt.message.property.MqttProperty;

/**
 * Message Expiry Interval (MQTT 5.0 section 3.3.2.3.3): a message that waited longer than its
 * interval is not delivered, and one that waited less goes out with the interval reduced by the
 * whole seconds it waited.
 */
final class MessageExpiry {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private MessageExpiry() {}

    /** The message to send now, or null when it has expired. */
    static Publish remaining(Publish message, long receivedNanos, long nowNanos) {
        long interval = message.properties().longValue(MqttProperty.MESSAGE_EXPIRY_INTERVAL, -1);
        if (interval < 0) {
            return message;
        }
        long waitedSeconds = (nowNanos - receivedNanos) / NANOS_PER_SECOND;
        if (nowNanos - receivedNanos >= interval * NANOS_PER_SECOND) {
            return null;
        }
        if (waitedSeconds == 0) {
            return message;
        }
        return new Publish(
                message.topic(),
                message.qos(),
                message.retain(),
                message.dup(),
                message.packetId(),
                message.properties().toBuilder()
                        .set(MqttProperty.MESSAGE_EXPIRY_INTERVAL, interval - waitedSeconds)
                        .build(),
                message.payload());
    }
}
